import { createPopulation, startRegistrySimulator, type RegistrySimulator } from '../src/index';
import { getJson } from './http-client';

let registry: RegistrySimulator;

beforeAll(async () => {
  registry = await startRegistrySimulator({ population: createPopulation({ size: 50 }), token: 'secret-1' });
});
afterAll(() => registry.close());

const feed = (query = '') => `${registry.url}/api/v1/cong-dan/thay-doi${query}`;

describe('the registry refuses', () => {
  it('a request without a token, or with another token, with 401 and a loi', async () => {
    for (const token of [null, 'wrong']) {
      const { status, body } = await getJson(feed(), token);
      expect(status).toBe(401);
      expect(typeof body.loi).toBe('string');
    }
    expect((await getJson(feed(), 'secret-1')).status).toBe(200);
  });

  it.each(['?tu=0', '?tu=-1', '?tu=abc', '?soLuong=0', '?soLuong=1001', '?soLuong=2.5', '?tu=1&soLuong='])(
    'a bad page request %s with 400 and a loi',
    async (query) => {
      const { status, body } = await getJson(feed(query), 'secret-1');
      expect(status).toBe(400);
      expect(typeof body.loi).toBe('string');
    },
  );

  it('accepts the largest page', async () => {
    const { status, body } = await getJson(feed('?soLuong=1000'), 'secret-1');
    expect(status).toBe(200);
    expect(body.duLieu).toHaveLength(50);
    expect(body.conLai).toBe(false);
  });
});
