import { expectError } from '@parley/testing';
import { createTestApp, TestApp } from './support/test-app';

/**
 * PRODUCT.md §3: no workspace admin can take over an identity other workspaces share. Here the
 * attack is a pre-hijack: an admin creates the identity first, with a password of their choosing,
 * and waits for the victim's real company to add the same e-mail.
 */
describe('a password chosen by a workspace admin opens that workspace only', () => {
  let app: TestApp;
  beforeAll(async () => (app = await createTestApp()));
  afterAll(() => app.close());

  it('does not open the victim’s other workspaces, nor anything identity-wide', async () => {
    const mallory = await app.given.workspace();
    const company = await app.given.admin();
    const victim = 'victim@corp.example';
    const planted = 'mallory-chose-this';
    expect((await mallory.api.post('/users/add', { email: victim, password: planted })).status).toBe(200);
    expect((await company.api.post('/users/add', { email: victim })).status).toBe(200);
    const real = await app.given.login(victim, 'default'); // the victim, in their company

    // The planted password works only in mallory's workspace…
    const intoCompany = await app.api.post('/auth/password-login', {
      email: victim,
      password: planted,
      workspace: 'default',
    });
    expectError(intoCompany, 401, 'INVALID_CREDENTIALS');
    const login = await app.api.post('/auth/password-login', { email: victim, password: planted });
    expect(login.status).toBe(200);
    const confined = app.api.withToken(login.body.accessToken);
    expect((await confined.get('/auth/me')).body.workspace.slug).toBe(mallory.workspace.slug);

    // …and cannot reach beyond it.
    const sw = await confined.post('/auth/switch-workspace', { workspace: 'default' });
    expectError(sw, 403, 'SESSION_CONFINED');
    expect((await confined.get('/workspaces')).body.workspaces.map((w: { slug: string }) => w.slug)).toEqual([
      mallory.workspace.slug,
    ]);
    expect((await confined.post('/workspaces', { name: 'Elsewhere' })).status).toBe(403);
    const rename = await confined.put('/users/me', { userName: 'pwned' });
    expectError(rename, 403, 'SESSION_CONFINED');
    const sessions = (await confined.get('/auth/sessions')).body.sessions as { workspaceId: string }[];
    expect(sessions.every((s) => s.workspaceId === mallory.workspace.id)).toBe(true);
    expect((await confined.delete('/auth/sessions')).status).toBe(200);
    // The victim's own session in their company survives "log out everywhere else".
    expect((await real.api.get('/auth/me')).status).toBe(200);
    expect((await real.api.get('/users')).body.users.find((u: { id: string }) => u.id === real.id).userName).toBe(
      'victim',
    );
  });

  it('still lets a member whose only workspace it is use it fully', async () => {
    const admin = await app.given.workspace();
    const email = 'solo@team.example';
    expect((await admin.api.post('/users/add', { email, password: 'set-by-admin-1' })).status).toBe(200);
    const login = await app.api.post('/auth/password-login', { email, password: 'set-by-admin-1' });
    expect(login.status).toBe(200);
    const me = app.api.withToken(login.body.accessToken);
    expect((await me.put('/users/me', { userName: 'Solo' })).status).toBe(200);
    expect((await me.get('/channels')).status).toBe(200);
    const refreshed = await app.api.post('/auth/refresh', { refreshToken: login.body.refreshToken });
    expect(refreshed.status).toBe(200);
    expect((await app.api.withToken(refreshed.body.accessToken).post('/workspaces', { name: 'x' })).status).toBe(403);
  });
});
