import type { ApolloServerPlugin } from '@apollo/server';
import {
  getArgumentValues, getNamedType, getNullableType, getOperationAST, GraphQLError, isInterfaceType, isListType, isObjectType, Kind,
  type DocumentNode, type FragmentDefinitionNode, type GraphQLField, type GraphQLNamedType, type GraphQLSchema, type SelectionSetNode,
} from 'graphql';
import type { GatewayContext } from '../caller';
import { GatewayErrors } from '../errors';

/** How an operation's cost is estimated, and the most it may cost. */
export interface CostOptions {
  /** Estimated cost accepted. */
  maxCost: number;
  /** Items assumed in a list field that takes no size argument (a person's cases, a case's contacts). */
  listSize: number;
}

// graphql-armor's weights, so a limit keeps its meaning: object 2, scalar 1, ×1.5 per level.
const OBJECT_COST = 2;
const SCALAR_COST = 1;
const DEPTH_FACTOR = 1.5;
const SIZE_ARGUMENTS = ['first', 'last', 'limit'];

/**
 * Estimates what an operation will cost before it is planned, counting each list by the
 * number of items it can return: its `first` / `last` argument, whether written in the query,
 * passed as a variable or left to the schema's default; the length of a list argument (e.g.
 * `persons(ids: …)`); else `listSize`. Nested lists multiply, so a query fanning out into
 * thousands of persons is refused before any subgraph is asked (HUB_GATEWAY_TOO_COSTLY,
 * HTTP 400, with the estimate and the limit).
 */
const costs = new WeakMap<GatewayContext, number>();

/** The estimated cost of this request's operation (after `didResolveOperation`), for the fair share. */
export function costOf(context: GatewayContext): number | undefined {
  return costs.get(context);
}

export function queryCost(options: CostOptions): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(context) {
          const cost = estimateCost(context.schema, context.document, context.operationName ?? undefined, context.request.variables ?? {}, options.listSize);
          costs.set(context.contextValue, cost);
          if (cost > options.maxCost) {
            throw new GraphQLError(
              `The operation's estimated cost is ${Math.ceil(cost)}, over the limit of ${options.maxCost}: ask for fewer items at once (first, ids) or fewer nested lists, and page through the rest.`,
              { extensions: { code: GatewayErrors.TOO_COSTLY, cost: Math.ceil(cost), maxCost: options.maxCost, http: { status: 400 } } },
            );
          }
        },
      };
    },
  };
}

/** The estimated cost of `operationName` in `document` with these variables. */
export function estimateCost(schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown>, listSize: number): number {
  const operation = getOperationAST(document, operationName);
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return 0;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);

  const costOfSet = (set: SelectionSetNode, parent: GraphQLNamedType, inFragments: ReadonlySet<string>): number => {
    let total = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) ?? parent : parent;
        total += costOfSet(selection.selectionSet, type, inFragments);
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        // A fragment spread inside itself is a validation error; never loop on it.
        if (!fragment || inFragments.has(fragment.name.value)) continue;
        const type = schema.getType(fragment.typeCondition.name.value) ?? parent;
        total += costOfSet(fragment.selectionSet, type, new Set([...inFragments, fragment.name.value]));
      } else {
        const name = selection.name.value;
        if (name === '__typename') {
          total += SCALAR_COST;
          continue;
        }
        const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
        if (!field || !selection.selectionSet) {
          total += SCALAR_COST;
          continue;
        }
        const inner = OBJECT_COST + DEPTH_FACTOR * costOfSet(selection.selectionSet, getNamedType(field.type), inFragments);
        total += inner * itemsOf(field, selection, variables, listSize);
      }
    }
    return total;
  };
  return costOfSet(operation.selectionSet, root, new Set());
}

/** How many items a field can return. */
function itemsOf(field: GraphQLField<unknown, unknown>, node: Parameters<typeof getArgumentValues>[1], variables: Record<string, unknown>, listSize: number): number {
  let args: Record<string, unknown> = {};
  try {
    args = getArgumentValues(field, node, variables);
  } catch {
    // Invalid arguments are reported by execution; estimate without them.
  }
  for (const name of SIZE_ARGUMENTS) {
    const size = args[name];
    if (typeof size === 'number') return Math.max(1, size);
  }
  if (!isListType(getNullableType(field.type))) return 1;
  for (const value of Object.values(args)) if (Array.isArray(value)) return Math.max(1, value.length);
  // A connection's edges: the connection counted its `first` already.
  if (getNamedType(field.type).name.endsWith('Edge')) return 1;
  return listSize;
}
