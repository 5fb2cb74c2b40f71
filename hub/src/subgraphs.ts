import * as access from '@health-hub/access';
import * as audit from '@health-hub/audit';
import * as cases from '@health-hub/cases';
import * as certificates from '@health-hub/certificates';
import * as insurance from '@health-hub/insurance';
import * as registry from '@health-hub/registry';
import type { SubgraphName } from '@health-hub/schema';
import { migrate } from '@health-hub/subgraph-kit';
import * as testing from '@health-hub/testing';
import * as vaccination from '@health-hub/vaccination';
import * as workplaces from '@health-hub/workplaces';
import type { FastifyInstance } from 'fastify';

type BuildSubgraph = (options: { databaseUrl: string; logLevel?: 'info' | 'silent' | 'warn' | 'error'; migrateOnStart?: boolean; gatewaySecret?: string; logStream?: { write(line: string): void } }) => Promise<FastifyInstance>;

/** How to build and migrate each subgraph; the launcher knows them only through their public entry. */
export const SUBGRAPHS: Readonly<Record<SubgraphName, { build: BuildSubgraph; migrationsDir: string }>> = {
  registry: { build: registry.build, migrationsDir: registry.MIGRATIONS_DIR },
  vaccination: { build: vaccination.build, migrationsDir: vaccination.MIGRATIONS_DIR },
  testing: { build: testing.build, migrationsDir: testing.MIGRATIONS_DIR },
  insurance: { build: insurance.build, migrationsDir: insurance.MIGRATIONS_DIR },
  cases: { build: cases.build, migrationsDir: cases.MIGRATIONS_DIR },
  audit: { build: audit.build, migrationsDir: audit.MIGRATIONS_DIR },
  workplaces: { build: workplaces.build, migrationsDir: workplaces.MIGRATIONS_DIR },
};

/** Applies every subgraph's pending migrations, each into its own schema, then the access and certificates schemas. */
export async function migrateAll(databaseUrl: string): Promise<void> {
  for (const [name, { migrationsDir }] of Object.entries(SUBGRAPHS)) {
    await migrate({ databaseUrl, schema: name, dir: migrationsDir });
  }
  await migrate({ databaseUrl, schema: access.ACCESS_SCHEMA, dir: access.MIGRATIONS_DIR });
  await migrate({ databaseUrl, schema: 'certificates', dir: certificates.MIGRATIONS_DIR });
}
