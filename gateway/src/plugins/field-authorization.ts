import { createHash } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import { decide, isPersonalData, maskValue, type AccessRules, type MaskRule } from '@health-hub/schema';
import {
  getNamedType, getOperationAST, isInterfaceType, isObjectType, Kind, print,
  type DocumentNode, type FieldNode, type FragmentDefinitionNode, type GraphQLNamedType, type GraphQLSchema,
  type OperationDefinitionNode, type SelectionNode, type SelectionSetNode,
} from 'graphql';
import type { GatewayContext } from '../caller';
import { GatewayErrors } from '../errors';

/** A field of the operation the caller may not read, where it sits in the answer. */
interface DeniedField {
  /** Response keys from the root; lists are crossed transparently. */
  path: string[];
  coordinate: string;
  code: string;
  missingScopes: string[];
  missingPolicies: string[];
}

/** Alias of the hidden `id` added under every person, for the audit log; removed before answering. */
export const AUDIT_PERSON_ID_KEY = 'hubAuditPersonId';
/**
 * Alias of a hidden `person { id }` added under an object that holds a person's data without
 * being one (a workplace's contact: `WorkplaceContact.person`), so an answer with only its
 * name and phone still names the person; removed before answering.
 */
export const AUDIT_PERSON_REF_KEY = 'hubAuditPerson';

/**
 * Takes the hidden person IDs out of an answer (`AUDIT_PERSON_ID_KEY`, `AUDIT_PERSON_REF_KEY`)
 * into `into`: the persons the audit entry names and the persons limit counts.
 */
export function takeAuditPersonIds(data: unknown, into: Set<string>): void {
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    const id = record[AUDIT_PERSON_ID_KEY];
    if (typeof id === 'string') into.add(id);
    delete record[AUDIT_PERSON_ID_KEY];
    const ref = record[AUDIT_PERSON_REF_KEY] as Record<string, unknown> | null | undefined;
    if (ref && typeof ref[AUDIT_PERSON_ID_KEY] === 'string') into.add(ref[AUDIT_PERSON_ID_KEY] as string);
    delete record[AUDIT_PERSON_REF_KEY];
    for (const value of Object.values(record)) if (value && typeof value === 'object') walk(value);
  };
  walk(data);
}

/** The operation as the caller may run it. */
export interface Guarded {
  denied: DeniedField[];
  /** Allowed fields the operation selects that hold personal data (`Type.field`), for the audit log. */
  personalFields: string[];
  /** Fields shown masked to this caller (`@masked` in the SDL), where they sit in the answer. */
  masked: Array<{ path: string[]; rule: MaskRule }>;
  /**
   * The operation with every denied field replaced by `<key>: __typename` and, when persons
   * are audited, a hidden id under each person (null when it needs neither).
   */
  document: DocumentNode | null;
  queryHash: string;
}

const guards = new WeakMap<object, Guarded>();

/** The decisions taken on this request's operation (after `didResolveOperation`). */
export function guardOf(context: GatewayContext): Guarded | undefined {
  return guards.get(context);
}

/**
 * Enforces the access rules of the supergraph (`@authenticated`, `@requiresScopes`, `@policy`)
 * before the gateway plans a query: every denied field is cut from the operation (so no
 * subgraph is asked for it), comes back null, and is reported by an error naming the missing
 * scope or policy; the rest of the answer still comes back. A field without a rule is denied.
 * Introspection is only for developer partners. Decisions are cached per operation and partner.
 */
export function fieldAuthorization(
  rules: AccessRules,
  options: { auditPersons: boolean; masks?: ReadonlyMap<string, MaskRule>; cacheSize?: number },
): ApolloServerPlugin<GatewayContext> {
  const masks = options.masks ?? new Map<string, MaskRule>();
  const cacheSize = options.cacheSize ?? 5_000;
  const cache = new Map<string, Guarded>();
  return {
    async requestDidStart() {
      let guarded: Guarded | undefined;
      return {
        async didResolveOperation(context) {
          const { partner } = context.contextValue.caller;
          // Scopes are part of the key: an access token may carry fewer than its partner holds.
          const key = `${partner.id}\n${partner.scopes.join(' ')}\n${context.queryHash}\n${context.operationName ?? ''}`;
          guarded = cache.get(key);
          if (!guarded) {
            guarded = guardOperation(context.schema, context.document, context.operationName ?? undefined, rules, partner, options.auditPersons, masks);
            if (cache.size >= cacheSize) cache.clear();
            cache.set(key, guarded);
          }
          guards.set(context.contextValue, guarded);
          if (guarded.document) {
            // The gateway plans from these three; a new hash keeps this partner's plan apart.
            const writable = context as { document: DocumentNode; queryHash: string; operation: OperationDefinitionNode | undefined };
            writable.document = guarded.document;
            writable.queryHash = guarded.queryHash;
            writable.operation = getOperationAST(guarded.document, context.operationName) ?? undefined;
          }
        },
        async willSendResponse(context) {
          if (!guarded || context.response.body.kind !== 'single') return;
          const result = context.response.body.singleResult;
          for (const { path, rule } of guarded.masked) {
            transformAt(result.data ?? null, path, (value) => (typeof value === 'string' ? maskValue(value, rule) : value));
          }
          if (guarded.denied.length === 0) return;
          const errors = [...(result.errors ?? [])];
          for (const field of guarded.denied) {
            const at = nullOut(result.data ?? null, field.path);
            const needs = [...field.missingScopes.map((s) => `scope ${s}`), ...field.missingPolicies.map((p) => `policy ${p}`)];
            errors.push({
              message: field.code === GatewayErrors.INTROSPECTION_DISABLED
                ? 'Introspection is only open to developer partners.'
                : `Not allowed to read ${field.coordinate}: ${needs.length ? `missing ${needs.join(' and ')}` : 'the field has no access rule'}.`,
              path: at ?? field.path,
              extensions: { code: field.code, field: field.coordinate, missingScopes: field.missingScopes, missingPolicies: field.missingPolicies },
            });
          }
          result.errors = errors;
        },
      };
    },
  };
}

/** Decides every field the operation selects and rewrites it when something is denied. */
export function guardOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  rules: AccessRules,
  caller: { scopes: readonly string[]; provinceCode: string | null; developer: boolean },
  auditPersons = false,
  masks: ReadonlyMap<string, MaskRule> = new Map(),
): Guarded {
  const operation = getOperationAST(document, operationName);
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return { denied: [], personalFields: [], masked: [], document: null, queryHash: '' };
  const masked: Guarded['masked'] = [];
  const personal = new Set<string>();
  const addPersonIds = auditPersons && decide(rules.get('Person.id'), caller).allowed;
  let injected = false;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const denied: DeniedField[] = [];

  // `underPerson`: inside a Person's selection, whose hidden id already names the person.
  const guardSet = (set: SelectionSetNode, parent: GraphQLNamedType, path: string[], underPerson = false): { kind: Kind.SELECTION_SET; selections: SelectionNode[] } => {
    const selections = set.selections.map((selection): SelectionNode => {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) ?? parent : parent;
        return { ...selection, selectionSet: guardSet(selection.selectionSet, type, path, underPerson) };
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        // Inlined: a fragment used at two places must be guarded at each.
        const fragment = fragments.get(selection.name.value)!;
        const type = schema.getType(fragment.typeCondition.name.value) ?? parent;
        return {
          kind: Kind.INLINE_FRAGMENT, typeCondition: fragment.typeCondition, directives: selection.directives,
          selectionSet: guardSet(fragment.selectionSet, type, path, underPerson),
        };
      }
      return guardField(selection, parent, path, underPerson);
    });
    return { kind: Kind.SELECTION_SET, selections };
  };

  const guardField = (field: FieldNode, parent: GraphQLNamedType, path: string[], underPerson: boolean): FieldNode => {
    const name = field.name.value;
    const key = field.alias?.value ?? name;
    if (name === '__typename') return field;
    if (name === '__schema' || name === '__type') {
      if (caller.developer) return field;
      denied.push({ path: [...path, key], coordinate: `Query.${name}`, code: GatewayErrors.INTROSPECTION_DISABLED, missingScopes: [], missingPolicies: [] });
      return typenameAs(key);
    }
    const definition = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
    const coordinate = `${parent.name}.${name}`;
    const decision = decide(rules.get(coordinate), caller);
    if (!decision.allowed || !definition) {
      const missing = decision.allowed ? { missingScopes: [], missingPolicies: [] } : decision;
      denied.push({ path: [...path, key], coordinate, code: GatewayErrors.FORBIDDEN_FIELD, missingScopes: missing.missingScopes, missingPolicies: missing.missingPolicies });
      return typenameAs(key);
    }
    if (isPersonalData(rules.get(coordinate))) personal.add(coordinate);
    const mask = masks.get(coordinate);
    if (mask && !caller.scopes.includes(mask.unless)) masked.push({ path: [...path, key], rule: mask });
    if (!field.selectionSet) return field;
    const type = getNamedType(definition.type);
    const selectionSet = guardSet(field.selectionSet, type, [...path, key], underPerson || type.name === 'Person');
    const hiddenId: FieldNode = { kind: Kind.FIELD, alias: { kind: Kind.NAME, value: AUDIT_PERSON_ID_KEY }, name: { kind: Kind.NAME, value: 'id' } };
    if (addPersonIds && type.name === 'Person') {
      injected = true;
      selectionSet.selections = [...selectionSet.selections, hiddenId];
    } else if (addPersonIds && !underPerson && isObjectType(type) && getNamedType(type.getFields().person?.type ?? type).name === 'Person'
      && decide(rules.get(`${type.name}.person`), caller).allowed) {
      // Holds a person's data without being a Person, and not reached through one (a
      // workplace's contact): the person it refers to is named too.
      injected = true;
      selectionSet.selections = [...selectionSet.selections, {
        kind: Kind.FIELD, alias: { kind: Kind.NAME, value: AUDIT_PERSON_REF_KEY }, name: { kind: Kind.NAME, value: 'person' },
        selectionSet: { kind: Kind.SELECTION_SET, selections: [hiddenId] },
      }];
    }
    return { ...field, selectionSet };
  };

  const selectionSet = guardSet(operation.selectionSet, root, []);
  const personalFields = [...personal].sort();
  if (denied.length === 0 && !injected) return { denied, personalFields, masked, document: null, queryHash: '' };
  const rewritten: DocumentNode = { kind: Kind.DOCUMENT, definitions: [{ ...operation, selectionSet }] };
  return { denied, personalFields, masked, document: rewritten, queryHash: createHash('sha256').update(print(rewritten)).digest('hex') };
}

// The field keeps its place in the answer (any type can give __typename) and is nulled after.
function typenameAs(key: string): FieldNode {
  return { kind: Kind.FIELD, alias: { kind: Kind.NAME, value: key }, name: { kind: Kind.NAME, value: '__typename' } };
}

/** Replaces the value at `path` wherever it occurs in `data` (each item of a list of values). */
function transformAt(data: unknown, path: string[], change: (value: unknown) => unknown): void {
  const walk = (node: unknown, depth: number): void => {
    if (node === null || node === undefined) return;
    if (Array.isArray(node)) return node.forEach((item) => walk(item, depth));
    if (typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    const key = path[depth]!;
    if (!(key in record)) return;
    if (depth < path.length - 1) return walk(record[key], depth + 1);
    const value = record[key];
    record[key] = Array.isArray(value) ? value.map(change) : change(value);
  };
  walk(data, 0);
}

/** Sets `path` to null wherever it occurs in `data`; returns the first concrete path, with list indices. */
function nullOut(data: unknown, path: string[]): Array<string | number> | null {
  let first: Array<string | number> | null = null;
  const walk = (node: unknown, depth: number, at: Array<string | number>): void => {
    if (node === null || node === undefined) return;
    if (Array.isArray(node)) return node.forEach((item, i) => walk(item, depth, [...at, i]));
    if (typeof node !== 'object') return;
    const key = path[depth]!;
    const record = node as Record<string, unknown>;
    if (!(key in record)) return;
    if (depth === path.length - 1) {
      record[key] = null;
      first ??= [...at, key];
      return;
    }
    walk(record[key], depth + 1, [...at, key]);
  };
  walk(data, 0, []);
  return first;
}
