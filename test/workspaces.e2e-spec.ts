import { randomBytes } from 'node:crypto';
import { expectError } from '@parley/testing';
import { ADMIN_PASSWORD, createTestApp, TestApp } from './support/test-app';

const uniqueEmail = (prefix = 'ws') => `${prefix}-${randomBytes(4).toString('hex')}@example.com`;
const uniqueSlug = (prefix = 'ws') => `${prefix}-${randomBytes(4).toString('hex')}`;

describe('workspaces', () => {
  let app: TestApp;
  beforeAll(async () => (app = await createTestApp()));
  afterAll(() => app.close());

  describe('GET /workspaces', () => {
    it("lists the caller's workspaces with their role in each", async () => {
      const owner = await app.given.workspace();
      const res = await owner.api.get('/workspaces');
      expect(res.status).toBe(200);
      expect(res.body.workspaces).toHaveLength(2);
      const bySlug = Object.fromEntries(res.body.workspaces.map((w: { slug: string }) => [w.slug, w]));
      expect(bySlug.default).toMatchObject({ slug: 'default', role: 'user' });
      expect(bySlug[owner.workspace.slug]).toEqual({
        id: owner.workspace.id,
        slug: owner.workspace.slug,
        name: expect.any(String),
        role: 'admin',
        createdAt: expect.any(Number),
      });
    });

    it('lists the initial admin in the default workspace as admin', async () => {
      const admin = await app.given.admin();
      const res = await admin.api.get('/workspaces');
      expect(res.status).toBe(200);
      expect(res.body.workspaces).toContainEqual(expect.objectContaining({ slug: 'default', role: 'admin' }));
    });

    it('never lists a workspace the caller does not belong to', async () => {
      const a = await app.given.workspace();
      const b = await app.given.workspace();
      const res = await a.api.get('/workspaces');
      const slugs = res.body.workspaces.map((w: { slug: string }) => w.slug);
      expect(slugs).toContain(a.workspace.slug);
      expect(slugs).not.toContain(b.workspace.slug);
    });

    it('requires a token', async () => {
      const res = await app.api.get('/workspaces');
      expectError(res, 401, 'AUTH_REQUIRED');
    });
  });

  describe('POST /workspaces', () => {
    it('creates a workspace with a derived slug and makes the caller its admin', async () => {
      const creator = await app.given.login(uniqueEmail('creator'));
      const res = await creator.api.post('/workspaces', { name: 'Design Team 42' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        workspace: {
          id: expect.any(String),
          slug: 'design-team-42',
          name: 'Design Team 42',
          role: 'admin',
          createdAt: expect.any(Number),
        },
      });

      const list = await creator.api.get('/workspaces');
      expect(list.body.workspaces).toContainEqual(expect.objectContaining({ slug: 'design-team-42', role: 'admin' }));
    });

    it('gives the new workspace a #general channel, visible after switching to it', async () => {
      const creator = await app.given.login(uniqueEmail('general'));
      const created = await creator.api.post('/workspaces', { name: uniqueSlug('General Check') });
      const slug = created.body.workspace.slug;

      const switched = await creator.api.post('/auth/switch-workspace', { workspace: slug });
      expect(switched.status).toBe(200);
      const inNew = app.api.withToken(switched.body.accessToken);
      const channels = await inNew.get('/channels');
      expect(channels.status).toBe(200);
      expect(channels.body.channels.map((c: { name: string }) => c.name)).toEqual(['general']);

      const me = await inNew.get('/auth/me');
      expect(me.body.user.isAdmin).toBe(true);
      const users = await inNew.get('/users');
      expect(users.body.users).toEqual([expect.objectContaining({ id: creator.id, isAdmin: true })]);
    });

    it('derives a fresh slug when the derived one is taken', async () => {
      const one = await app.given.login(uniqueEmail('dup1'));
      const two = await app.given.login(uniqueEmail('dup2'));
      const first = await one.api.post('/workspaces', { name: 'Same Name' });
      const second = await two.api.post('/workspaces', { name: 'Same Name' });
      expect(first.status).toBe(200);
      expect(second.status).toBe(200);
      expect(first.body.workspace.slug).toBe('same-name');
      expect(second.body.workspace.slug).toMatch(/^same-name-[a-z0-9]+$/);
      expect(second.body.workspace.id).not.toBe(first.body.workspace.id);
    });

    it.each([
      ['  Leading and trailing  ', 'leading-and-trailing'],
      ['R&D / Ops!!', 'r-d-ops'],
      ['Café Société', 'cafe-societe'],
      ['A very long workspace name that goes on and on', 'a-very-long-workspace-name-that'],
    ])('derives a usable slug from %p', async (name, slug) => {
      const creator = await app.given.login(uniqueEmail('derive'));
      const res = await creator.api.post('/workspaces', { name });
      expect(res.status).toBe(200);
      expect(res.body.workspace.slug).toBe(slug);
      expect(res.body.workspace.name).toBe(name.trim());
    });

    it('uses an explicit slug as given', async () => {
      const creator = await app.given.login(uniqueEmail('explicit'));
      const slug = uniqueSlug('explicit');
      const res = await creator.api.post('/workspaces', { name: 'Whatever Name', slug });
      expect(res.status).toBe(200);
      expect(res.body.workspace.slug).toBe(slug);
    });

    it('answers an explicit slug that is taken with 409 WORKSPACE_SLUG_TAKEN', async () => {
      const creator = await app.given.login(uniqueEmail('taken'));
      const res = await creator.api.post('/workspaces', { name: 'Mine', slug: 'default' });
      expect(res.status).toBe(409);
      expect(res.body).toEqual({ error: expect.any(String), code: 'WORKSPACE_SLUG_TAKEN' });

      const slug = uniqueSlug('twice');
      expect((await creator.api.post('/workspaces', { name: 'One', slug })).status).toBe(200);
      const again = await creator.api.post('/workspaces', { name: 'Two', slug });
      expectError(again, 409, 'WORKSPACE_SLUG_TAKEN');
      // The failed attempt created nothing.
      const list = await creator.api.get('/workspaces');
      expect(list.body.workspaces.filter((w: { slug: string }) => w.slug === slug)).toHaveLength(1);
    });

    it.each([['Bad Slug'], ['UPPER'], ['-lead'], ['trail-'], ['a'.repeat(41)], ['ünï'], [''], [42]])(
      'answers the invalid slug %p with 400',
      async (slug) => {
        const creator = await app.given.login(uniqueEmail('badslug'));
        const res = await creator.api.post('/workspaces', { name: 'Valid Name', slug });
        expectError(res, 400, 'VALIDATION_FAILED');
        const list = await creator.api.get('/workspaces');
        expect(list.body.workspaces).toHaveLength(1);
      },
    );

    it.each([
      ['a missing name', {}],
      ['an empty name', { name: '' }],
      ['a blank name', { name: '   ' }],
      ['a name over 100 characters', { name: 'n'.repeat(101) }],
      ['a name that yields no slug', { name: '!!!' }],
      ['an unknown field', { name: 'Fine', owner: 'someone-else' }],
    ])('answers %s with 400', async (_, body) => {
      const creator = await app.given.login(uniqueEmail('badname'));
      const res = await creator.api.post('/workspaces', body);
      expectError(res, 400, 'VALIDATION_FAILED');
    });

    it('accepts a name that yields no slug when a slug is given', async () => {
      const creator = await app.given.login(uniqueEmail('symbols'));
      const slug = uniqueSlug('symbols');
      const res = await creator.api.post('/workspaces', { name: '!!!', slug });
      expect(res.status).toBe(200);
      expect(res.body.workspace).toMatchObject({ name: '!!!', slug });
    });

    it('requires a token', async () => {
      const res = await app.api.post('/workspaces', { name: 'Anonymous' });
      expect(res.status).toBe(401);
    });
  });

  describe('POST /auth/switch-workspace', () => {
    it('returns a token pair for a workspace the caller belongs to', async () => {
      const owner = await app.given.workspace();
      const inDefault = await app.given.login(owner.email, 'default');
      const res = await inDefault.api.post('/auth/switch-workspace', { workspace: owner.workspace.slug });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        exp: 900,
        tokenType: 'Bearer',
        workspace: expect.objectContaining({ id: owner.workspace.id, slug: owner.workspace.slug, role: 'admin' }),
      });

      const me = await app.api.withToken(res.body.accessToken).get('/auth/me');
      expect(me.status).toBe(200);
      expect(me.body.workspace).toMatchObject({ id: owner.workspace.id, slug: owner.workspace.slug, role: 'admin' });
      expect(me.body.user).toMatchObject({ id: owner.id, isAdmin: true });

      // The old token still speaks for the old workspace, with the role held there.
      const before = await inDefault.api.get('/auth/me');
      expect(before.body.workspace.slug).toBe('default');
      expect(before.body.user.isAdmin).toBe(false);
    });

    it('keeps the workspace across a refresh of the switched session', async () => {
      const owner = await app.given.workspace();
      const inDefault = await app.given.login(owner.email, 'default');
      const switched = await inDefault.api.post('/auth/switch-workspace', { workspace: owner.workspace.slug });
      const refreshed = await app.api.post('/auth/refresh', { refreshToken: switched.body.refreshToken });
      expect(refreshed.status).toBe(200);
      const me = await app.api.withToken(refreshed.body.accessToken).get('/auth/me');
      expect(me.body.workspace.slug).toBe(owner.workspace.slug);
    });

    it("lists the switched session with its workspace among the caller's sessions", async () => {
      const owner = await app.given.workspace();
      const switched = await owner.api.post('/auth/switch-workspace', { workspace: 'default' });
      const sessions = await app.api.withToken(switched.body.accessToken).get('/auth/sessions');
      const current = sessions.body.sessions.find((s: { current: boolean }) => s.current);
      expect(current.workspaceId).toBe(switched.body.workspace.id);
      expect(current.workspaceId).not.toBe(owner.workspace.id);
    });

    it("answers another's workspace exactly like a missing one: 404 WORKSPACE_NOT_FOUND", async () => {
      const mine = await app.given.workspace();
      const theirs = await app.given.workspace();
      const other = await mine.api.post('/auth/switch-workspace', { workspace: theirs.workspace.slug });
      expect(other.status).toBe(404);
      expect(other.body).toEqual({ error: expect.any(String), code: 'WORKSPACE_NOT_FOUND' });
      const missing = await mine.api.post('/auth/switch-workspace', { workspace: uniqueSlug('nowhere') });
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual(other.body);

      // Nothing was granted: the caller's token still speaks for their own workspace.
      const me = await mine.api.get('/auth/me');
      expect(me.body.workspace.slug).toBe(mine.workspace.slug);
    });

    it('answers a missing or malformed workspace with 400', async () => {
      const owner = await app.given.workspace();
      for (const body of [{}, { workspace: '' }, { workspace: 7 }, { workspace: 'x'.repeat(41) }]) {
        const res = await owner.api.post('/auth/switch-workspace', body);
        expectError(res, 400, 'VALIDATION_FAILED');
      }
    });

    it('requires a token', async () => {
      const res = await app.api.post('/auth/switch-workspace', { workspace: 'default' });
      expectError(res, 401, 'AUTH_REQUIRED');
    });
  });

  describe('login into a workspace', () => {
    it('lands a dev login in the workspace its body names', async () => {
      const owner = await app.given.workspace();
      const res = await app.api.post('/auth/dev-login', { email: owner.email, workspace: owner.workspace.slug });
      expect(res.status).toBe(200);
      expect(res.body.user.isAdmin).toBe(true);
      const me = await app.api.withToken(res.body.accessToken).get('/auth/me');
      expect(me.body.workspace).toMatchObject({ slug: owner.workspace.slug, role: 'admin' });
    });

    it('lands a login without a workspace in the one the user joined first', async () => {
      const owner = await app.given.workspace();
      const res = await app.api.post('/auth/dev-login', { email: owner.email });
      expect(res.status).toBe(200);
      expect(res.body.user.isAdmin).toBe(false);
      const me = await app.api.withToken(res.body.accessToken).get('/auth/me');
      expect(me.body.workspace.slug).toBe('default');
    });

    it('lands a password login in the workspace its body names', async () => {
      const owner = await app.given.workspace();
      const added = await owner.api.post('/users/add', { email: 'admin@example.com' });
      expect(added.status).toBe(200);
      const res = await app.api.post('/auth/password-login', {
        email: 'admin@example.com',
        password: ADMIN_PASSWORD,
        workspace: owner.workspace.slug,
      });
      expect(res.status).toBe(200);
      const me = await app.api.withToken(res.body.accessToken).get('/auth/me');
      expect(me.body.workspace).toMatchObject({ slug: owner.workspace.slug, role: 'user' });
      expect(me.body.user).toMatchObject({ email: 'admin@example.com', isAdmin: false });
    });

    it('answers a login naming a workspace the user is not in with 404 WORKSPACE_NOT_FOUND', async () => {
      const theirs = await app.given.workspace();
      const outsider = uniqueEmail('outsider');
      const dev = await app.api.post('/auth/dev-login', { email: outsider, workspace: theirs.workspace.slug });
      expect(dev.status).toBe(404);
      expect(dev.body).toEqual({ error: expect.any(String), code: 'WORKSPACE_NOT_FOUND' });

      const missing = await app.api.post('/auth/dev-login', { email: outsider, workspace: uniqueSlug('nowhere') });
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual(dev.body);

      const password = await app.api.post('/auth/password-login', {
        email: 'admin@example.com',
        password: ADMIN_PASSWORD,
        workspace: theirs.workspace.slug,
      });
      expectError(password, 404, 'WORKSPACE_NOT_FOUND');
    });

    it('does not reveal a workspace to a password login with the wrong password', async () => {
      const theirs = await app.given.workspace();
      const res = await app.api.post('/auth/password-login', {
        email: 'admin@example.com',
        password: 'wrong-password',
        workspace: theirs.workspace.slug,
      });
      expectError(res, 401, 'INVALID_CREDENTIALS');
    });
  });
});
