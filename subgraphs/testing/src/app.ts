import { join } from 'node:path';
import { CertificateAuthority, type CertificatesOptions } from '@health-hub/certificates';
import { buildSubgraphApp, type SubgraphOptions } from '@health-hub/subgraph-kit';
import { certificateResolvers, type CertificateLoaders } from './certificate-fields';
import { dailyReportResolvers } from './daily-report-fields';
import { createLoaders, type TestingLoaders } from './loaders';
import { resolvers } from './resolvers';

/** Options of the testing subgraph: those of every subgraph, less what the testing subgraph fixes itself. */
export type TestingOptions = Omit<SubgraphOptions<TestingLoaders>, 'name' | 'migrationsDir' | 'resolvers' | 'createLoaders'> & {
  /** Options of the certificate authority behind the certificate fields; its database is the subgraph's. */
  certificates?: Omit<CertificatesOptions, 'databaseUrl'>;
};

/** Directory of the testing subgraph's SQL migrations. */
export const MIGRATIONS_DIR = join(__dirname, '..', 'migrations');

/** Builds the testing subgraph's Fastify app. */
export async function build(options: TestingOptions) {
  const { certificates, ...subgraph } = options;
  const authority = await CertificateAuthority.open({ migrateOnOpen: subgraph.migrateOnStart ?? true, ...certificates, databaseUrl: subgraph.databaseUrl });
  const withCertificates = certificateResolvers(authority, resolvers.Person.__resolveReference);
  try {
    const app = await buildSubgraphApp<CertificateLoaders>({
      ...subgraph,
      name: 'testing',
      migrationsDir: MIGRATIONS_DIR,
      resolvers: {
        ...resolvers,
        ...withCertificates,
        ...dailyReportResolvers,
        Person: { ...resolvers.Person, ...withCertificates.Person },
      } as unknown as SubgraphOptions<CertificateLoaders>['resolvers'],
      createLoaders: (pool) => ({ ...createLoaders(pool), certificates: authority.loader() }),
    });
    app.addHook('onClose', async () => authority.close());
    return app;
  } catch (error) {
    await authority.close();
    throw error;
  }
}
