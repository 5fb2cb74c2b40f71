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

/**
 * Serves GraphiQL at /graphiql from a self-contained page (scripts, styles and workers
 * inline), so the IDE works with no internet access.
 */
export function registerGraphiQL(app: FastifyInstance, exampleCitizenId = '079187000001'): void {
  // Options typed loosely: their type lives in graphql-yoga, which the hub does not install.
  const page = renderGraphiQL({ title: 'Health Hub', endpoint: '/graphql', defaultQuery: example(exampleCitizenId) } as never);
  app.get('/graphiql', async (_request, reply) => reply.type('text/html; charset=utf-8').send(page));
  app.get('/', async (_request, reply) => reply.redirect('/graphiql'));
}
