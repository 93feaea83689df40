import { listRoutes } from '../apps/api/src/openapi/routes';
import { createTestApp, TestApp } from './support/test-app';

/**
 * Every route with who may call it. A change in access shows up as a snapshot diff in review.
 */
describe('route permissions', () => {
  let app: TestApp;
  beforeAll(async () => (app = await createTestApp()));
  afterAll(() => app.close());

  it('matches the reviewed snapshot', () => {
    const access = { public: 'public', admin: 'roles: admin', member: 'any member' } as const;
    const routes = listRoutes(app.server.app).map(
      (r) => `${r.method} ${r.path} → ${access[r.access]}${r.queryToken ? ' (token may be in ?token=)' : ''}`,
    );
    expect(routes.sort()).toMatchSnapshot();
  });
});
