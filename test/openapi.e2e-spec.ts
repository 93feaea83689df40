import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROUTE_DOCS } from '../apps/api/src/openapi/route-docs';
import { listRoutes } from '../apps/api/src/openapi/routes';
import { createTestApp, TestApp } from './support/test-app';

const COMMITTED = path.join(__dirname, '..', 'docs', 'openapi.json');
// `npm run openapi` sets this to rewrite docs/openapi.json from the running app.
const WRITE = process.env.PARLEY_WRITE_OPENAPI === '1';

describe('OpenAPI', () => {
  let app: TestApp;
  beforeAll(async () => (app = await createTestApp({ AUTH_MODES: 'dev,password,magic-link' })));
  afterAll(() => app.close());

  it('serves the documentation page at /docs', async () => {
    const res = await fetch(`${app.baseUrl}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('swagger-ui');
  });

  it('documents every route, with a summary and its access', async () => {
    const routes = listRoutes(app.server.app);
    const undocumented = routes.map((r) => `${r.method} ${r.path}`).filter((key) => !ROUTE_DOCS[key]);
    expect(undocumented).toEqual([]);
    const stale = Object.keys(ROUTE_DOCS).filter((key) => !routes.some((r) => `${r.method} ${r.path}` === key));
    expect(stale).toEqual([]);

    const doc = (await (await fetch(`${app.baseUrl}/docs/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { summary?: string; security?: unknown }>>;
      components: { schemas: Record<string, { properties: Record<string, unknown>; required: string[] }> };
    };
    for (const route of routes) {
      const operation = doc.paths[route.path.replace(/:(\w+)/g, '{$1}')]?.[route.method.toLowerCase()];
      expect({ route: `${route.method} ${route.path}`, summary: operation?.summary }).toEqual({
        route: `${route.method} ${route.path}`,
        summary: ROUTE_DOCS[`${route.method} ${route.path}`].summary,
      });
      expect(operation?.security).toEqual(route.access === 'public' ? [] : [{ bearer: [] }]);
    }
    // Request bodies carry the validation rules the API enforces.
    const login = doc.components.schemas.DevLoginDto;
    expect(login.properties.email).toMatchObject({ format: 'email', maxLength: 254 });
    expect(login.required).toContain('email');
  });

  it('matches the committed docs/openapi.json (run `npm run openapi` after changing routes)', async () => {
    const served = JSON.stringify(await (await fetch(`${app.baseUrl}/docs/openapi.json`)).json(), null, 2) + '\n';
    if (WRITE) fs.writeFileSync(COMMITTED, served);
    expect(fs.readFileSync(COMMITTED, 'utf8')).toBe(served);
  });
});
