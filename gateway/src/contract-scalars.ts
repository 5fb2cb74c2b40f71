import type { GatewayInterface } from '@apollo/server-gateway-interface';
import { scalars } from '@health-hub/schema';
import { GraphQLScalarType, type GraphQLSchema } from 'graphql';

/**
 * Gives the gateway's schema the contract's scalar validation, so a malformed citizen ID or
 * date is refused before any subgraph is asked. The supergraph carries scalar names only;
 * the behaviour lives in @health-hub/schema, shared with the subgraphs.
 */
export function withContractScalars(gateway: GatewayInterface): GatewayInterface {
  return {
    load: (options) => gateway.load(options),
    onSchemaLoadOrUpdate: (callback) =>
      gateway.onSchemaLoadOrUpdate((context) => {
        applyScalars(context.apiSchema);
        callback(context);
      }),
    stop: () => gateway.stop(),
  };
}

function applyScalars(schema: GraphQLSchema | undefined): void {
  if (!schema) return;
  for (const [name, implementation] of Object.entries(scalars)) {
    const type = schema.getType(name);
    if (type instanceof GraphQLScalarType) {
      // The gateway's executor validates variables against this same schema object.
      Object.assign(type, {
        parseValue: implementation.parseValue,
        parseLiteral: implementation.parseLiteral,
        serialize: implementation.serialize,
      });
    }
  }
}
