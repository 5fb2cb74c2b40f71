import { randomBytes } from 'node:crypto';
import { SCOPES } from '@health-hub/schema';
import pg from 'pg';
import { GATEWAY_SIGNATURE_HEADER, signGatewayRequest, type GatewayCaller } from './gateway-signature';

/** A caller with every scope and no province limit: what a subgraph test usually asks as. */
export const FULL_ACCESS: GatewayCaller = Object.freeze({
  partnerId: 'test', scopes: [...SCOPES], purpose: 'epidemic-prevention', provinceCode: null, requestId: 'test',
});

/**
 * `app.inject()` options for a GraphQL request signed as the gateway would sign it (with the
 * `HUB_GATEWAY_SECRET` jest's global setup sets), for `caller` (default FULL_ACCESS):
 * `await app.inject(signedRequest({ query, variables }))`.
 */
export function signedRequest(payload: { query: string; variables?: Record<string, unknown>; operationName?: string }, caller: Partial<GatewayCaller> = {}) {
  const secret = process.env.HUB_GATEWAY_SECRET;
  if (!secret) throw new Error('HUB_GATEWAY_SECRET is not set: run tests through jest (its global setup sets it).');
  const body = JSON.stringify(payload);
  return {
    method: 'POST' as const,
    url: '/graphql',
    headers: { 'content-type': 'application/json', [GATEWAY_SIGNATURE_HEADER]: signGatewayRequest(secret, { ...FULL_ACCESS, ...caller }, body) },
    payload: body,
  };
}

/**
 * A new, empty database on the test PostgreSQL started by jest's global setup, so test files
 * never see each other's rows. Dropped by the returned `drop`.
 */
export async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = process.env.HUB_TEST_ADMIN_DATABASE_URL;
  if (!adminUrl) throw new Error('HUB_TEST_ADMIN_DATABASE_URL is not set: run tests through jest (its global setup starts PostgreSQL).');
  const name = `hub_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
