import { decide, type AccessRules } from '@health-hub/schema';
import { getNamedType, isInterfaceType, isObjectType, Kind, type DocumentNode, type FragmentDefinitionNode, type GraphQLNamedType, type GraphQLSchema, type SelectionSetNode } from 'graphql';
import type { GatewayCaller } from './gateway-signature';

/** Federation's own entry points: the gateway calls them for every entity fetch. */
const FEDERATION_FIELDS = new Set(['Query._entities', 'Query._service']);

/** A field of the request the caller may not read. */
export interface DeniedSubgraphField {
  coordinate: string;
  missingScopes: string[];
  missingPolicies: string[];
}

/**
 * The fields of `document` the caller may not read, by this subgraph's own SDL rules. The
 * gateway never sends such a field (it cut it before planning), so a request that carries one
 * did not come through the gateway's checks and is refused whole.
 */
export function deniedFields(schema: GraphQLSchema, rules: AccessRules, document: DocumentNode, caller: GatewayCaller): DeniedSubgraphField[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const denied = new Map<string, DeniedSubgraphField>();
  const visited = new Set<string>();
  const walk = (set: SelectionSetNode, parent: GraphQLNamedType) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, (selection.typeCondition && schema.getType(selection.typeCondition.name.value)) || parent);
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || visited.has(fragment.name.value)) continue;
        visited.add(fragment.name.value);
        walk(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value) ?? parent);
      } else {
        const name = selection.name.value;
        if (name.startsWith('__')) continue;
        const coordinate = `${parent.name}.${name}`;
        if (!FEDERATION_FIELDS.has(coordinate)) {
          const decision = decide(rules.get(coordinate), caller);
          if (!decision.allowed) {
            denied.set(coordinate, { coordinate, missingScopes: decision.missingScopes, missingPolicies: decision.missingPolicies });
            continue;
          }
        }
        const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
        if (field && selection.selectionSet) walk(selection.selectionSet, getNamedType(field.type));
      }
    }
  };
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const root = schema.getRootType(definition.operation);
    if (root) walk(definition.selectionSet, root);
  }
  return [...denied.values()];
}


/**
 * `deniedFields`, remembered per parsed document and kind of caller (scopes and province).
 * mercurius hands back the same parsed document for a repeated query, and the gateway sends
 * the same few entity queries over and over, so a steady workload walks each query once per
 * kind of caller instead of once per request.
 */
export function memoisedDeniedFields(rules: AccessRules): (schema: GraphQLSchema, document: DocumentNode, caller: GatewayCaller) => DeniedSubgraphField[] {
  const byDocument = new WeakMap<DocumentNode, Map<string, DeniedSubgraphField[]>>();
  return (schema, document, caller) => {
    let byCaller = byDocument.get(document);
    if (!byCaller) byDocument.set(document, (byCaller = new Map()));
    const key = `${caller.provinceCode ?? '*'}|${caller.scopes.join(' ')}`;
    let denied = byCaller.get(key);
    if (!denied) {
      denied = deniedFields(schema, rules, document, caller);
      // Partners are few; a bound keeps a document's entry small whatever callers come.
      if (byCaller.size >= 256) byCaller.clear();
      byCaller.set(key, denied);
    }
    return denied;
  };
}
