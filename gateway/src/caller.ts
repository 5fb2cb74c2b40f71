import type { Partner } from '@health-hub/access';

/** Who is asking and why, established before a request reaches GraphQL. */
export interface RequestCaller {
  partner: Partner;
  /** The purpose the request stated (header `x-hub-purpose`), one the partner is allowed. */
  purpose: string;
}

/** The context every gateway plugin and data source sees. */
export interface GatewayContext {
  caller: RequestCaller;
  /** The Fastify request ID, also sent to subgraphs and written to the audit log. */
  requestId: string;
  /** The client's address as the gateway sees it, for the audit log. */
  clientAddress: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication plugin for `/graphql` requests it let through. */
    caller?: RequestCaller;
  }
}
