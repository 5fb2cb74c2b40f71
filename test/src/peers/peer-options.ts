import { readFileSync } from 'node:fs';
import { withAccessEnforcedHere } from '@health-hub/gateway';
import { ROLES, SUPERGRAPH_PATH, type SubgraphName } from '@health-hub/schema';
import { GATEWAY_SIGNATURE_HEADER, signGatewayRequest, type GatewayCaller } from '@health-hub/subgraph-kit';

/** What another GraphQL engine needs to serve the hub's graph over its running subgraphs. */
export interface PeerOptions {
  /** Where each subgraph answers (its GraphQL endpoint). */
  subgraphUrls: Readonly<Record<SubgraphName, string>>;
  /** The secret the hub's gateway signs its subgraph requests with. */
  gatewaySecret: string;
  /** Port to listen on (127.0.0.1). Default: any free one. */
  port?: number;
}

/** A peer engine listening on 127.0.0.1. */
export interface RunningPeer {
  /** Base URL (POST `${url}/graphql`). */
  url: string;
  stop(): Promise<void>;
}

/**
 * Who the peers ask for: a nationwide ministry partner with identifiers in full, as the
 * benchmark's and the tests' partner is. Peers authenticate nobody and enforce no access rule
 * (the subgraphs still check theirs), so every fetch carries this one caller.
 */
export const PEER_CALLER: GatewayCaller = {
  partnerId: 'peer-engine',
  scopes: [...ROLES.ministry.scopes, 'identifiers:full'],
  purpose: ROLES.ministry.purposes[0]!,
  provinceCode: null,
  requestId: 'peer-engine',
};

/** The header a subgraph fetch must carry: the hub gateway's signature over this exact body. */
export function signedHeader(secret: string, body: string): Record<string, string> {
  return { [GATEWAY_SIGNATURE_HEADER]: signGatewayRequest(secret, PEER_CALLER, body) };
}

/**
 * The committed supergraph as a peer is given it: without `for: SECURITY` on the access
 * features (no peer enforces them, and Apollo Gateway refuses a supergraph that asks it to),
 * each subgraph's routing URL replaced with where it runs now.
 */
export function peerSupergraph(subgraphUrls: Readonly<Record<SubgraphName, string>>): string {
  const sdl = withAccessEnforcedHere(readFileSync(SUPERGRAPH_PATH, 'utf8'));
  return sdl.replace(/(@join__graph\(name: "([a-z]+)", url: ")[^"]*(")/g, (whole, start: string, name: string, end: string) => {
    const url = subgraphUrls[name as SubgraphName];
    if (!url) throw new Error(`the supergraph names a subgraph "${name}" with no running URL`);
    return `${start}${graphqlEndpoint(url)}${end}`;
  });
}

/** A subgraph URL without a path means its `/graphql`, as the hub's gateway reads it. */
function graphqlEndpoint(url: string): string {
  const endpoint = new URL(url);
  if (endpoint.pathname === '/' || endpoint.pathname === '') endpoint.pathname = '/graphql';
  return endpoint.href;
}
