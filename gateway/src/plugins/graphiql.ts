import type { FastifyInstance } from 'fastify';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';

const example = (citizenId: string) => `# A person's records from all five subgraphs in one query.
query Person360 {
  person(id: "${citizenId}") {
    id fullName birthDate sex
    addresses { kind provinceName }
    vaccinationStatus { doses fullyVaccinated lastDoseOn }
    vaccinations { doseNumber vaccine administeredOn siteName }
    testResults { method result sampledAt lab { name } }
    healthInsurance { cardNumber validTo registeredClinic { name } }
    cases { code status confirmedAt }
  }
}`;

/** What GraphiQL opens with. */
export interface GraphiQLOptions {
  /** Citizen ID in the example query: one that exists in the hub's population. */
  exampleCitizenId?: string;
  /**
   * Request headers prefilled in the Headers pane (a local hub's developer partner's key and a
   * purpose), so the first query answers rather than meeting a 401. Never set in production:
   * anyone who can open the page would hold the key.
   */
  headers?: Readonly<Record<string, string>>;
}

/** Citizen ID of the first person of `npm start`'s default population (10,000 people, seed 2021). */
export const DEFAULT_EXAMPLE_CITIZEN_ID = '044198669460';

/**
 * Serves GraphiQL at /graphiql from a self-contained page (scripts, styles and workers
 * inline), so the IDE works with no internet access.
 */
export function registerGraphiQL(app: FastifyInstance, options: GraphiQLOptions = {}): void {
  const headers = options.headers && Object.keys(options.headers).length > 0 ? JSON.stringify(options.headers, null, 2) : undefined;
  // Options typed loosely: their type lives in graphql-yoga, which the hub does not install.
  // `headers` fills the Headers pane; `shouldPersistHeaders` off keeps an old key from a
  // previous start in the browser's storage from winning over this start's.
  const page = renderGraphiQL({
    title: 'Health Hub', endpoint: '/graphql', defaultQuery: example(options.exampleCitizenId ?? DEFAULT_EXAMPLE_CITIZEN_ID),
    ...(headers ? { headers, shouldPersistHeaders: false, defaultEditorToolsVisibility: 'headers' } : {}),
  } as never);
  app.get('/graphiql', async (_request, reply) => reply.type('text/html; charset=utf-8').send(page));
  app.get('/', async (_request, reply) => reply.redirect('/graphiql'));
}
