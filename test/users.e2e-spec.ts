import { randomBytes } from 'node:crypto';
import { expectError, TestUser } from '@parley/testing';
import { ADMIN_PASSWORD, createTestApp, TestApp } from './support/test-app';

const uniqueEmail = (prefix = 'user') => `${prefix}-${randomBytes(4).toString('hex')}@example.com`;

interface UserDto {
  id: string;
  userName: string;
  email?: string;
  isAdmin: boolean;
  createdAt: number;
}

describe('users', () => {
  let app: TestApp;
  beforeAll(async () => (app = await createTestApp()));
  afterAll(() => app.close());

  const listUsers = async (user: TestUser): Promise<UserDto[]> => {
    const res = await user.api.get('/users');
    expect(res.status).toBe(200);
    return res.body.users;
  };
  const passwordLogin = (email: string, password: string, workspace?: string) =>
    app.api.post('/auth/password-login', workspace ? { email, password, workspace } : { email, password });

  describe('GET /users', () => {
    it('shows an admin every member with their e-mail', async () => {
      const admin = await app.given.workspace();
      const alice = await app.given.member(admin);
      const bob = await app.given.member(admin);
      const users = await listUsers(admin);
      expect(users).toHaveLength(3);
      expect(users).toEqual(
        expect.arrayContaining([
          {
            id: admin.id,
            userName: expect.any(String),
            email: admin.email,
            isAdmin: true,
            createdAt: expect.any(Number),
          },
          {
            id: alice.id,
            userName: alice.email.split('@')[0],
            email: alice.email,
            isAdmin: false,
            createdAt: expect.any(Number),
          },
          {
            id: bob.id,
            userName: bob.email.split('@')[0],
            email: bob.email,
            isAdmin: false,
            createdAt: expect.any(Number),
          },
        ]),
      );
    });

    it('shows a plain member only their own e-mail', async () => {
      const admin = await app.given.workspace();
      const alice = await app.given.member(admin);
      await app.given.member(admin);
      const users = await listUsers(alice);
      expect(users).toHaveLength(3);
      for (const user of users) {
        if (user.id === alice.id) expect(user.email).toBe(alice.email);
        else expect(user).not.toHaveProperty('email');
      }
      const res = await alice.api.get('/users');
      expect(res.text).not.toContain(admin.email);
      expect(res.text).not.toContain('$argon2');
    });

    it('shows the role held in the current workspace', async () => {
      const admin = await app.given.workspace();
      const coAdmin = await app.given.member(admin, { role: 'admin' });
      const users = await listUsers(admin);
      expect(users.find((u) => u.id === coAdmin.id)?.isAdmin).toBe(true);
      // The same identity is a plain user in the default workspace.
      const inDefault = await app.given.login(admin.email, 'default');
      const defaultUsers = await listUsers(inDefault);
      expect(defaultUsers.find((u) => u.id === admin.id)?.isAdmin).toBe(false);
    });

    it('never lists members of another workspace', async () => {
      const a = await app.given.workspace();
      const aMember = await app.given.member(a);
      const b = await app.given.workspace();
      const bMember = await app.given.member(b);

      const fromB = await listUsers(b);
      const ids = fromB.map((u) => u.id);
      expect(ids.sort()).toEqual([b.id, bMember.id].sort());
      expect(ids).not.toContain(a.id);
      expect(ids).not.toContain(aMember.id);
      expect(JSON.stringify(fromB)).not.toContain(aMember.email);

      const fromBMember = await listUsers(bMember);
      expect(fromBMember.map((u) => u.id)).not.toContain(aMember.id);
    });

    it('requires a token', async () => {
      const res = await app.api.get('/users');
      expectError(res, 401, 'AUTH_REQUIRED');
    });
  });

  describe('POST /users/add', () => {
    it('adds a new identity with a password it can log in with', async () => {
      const admin = await app.given.workspace();
      const email = uniqueEmail('newbie');
      const res = await admin.api.post('/users/add', { email, password: 'newbie-password-1' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ success: true, userId: expect.any(String) });
      expect(res.text).not.toContain('$argon2');

      const login = await passwordLogin(email, 'newbie-password-1');
      expect(login.status).toBe(200);
      const me = await app.api.withToken(login.body.accessToken).get('/auth/me');
      expect(me.body.user).toEqual({ id: res.body.userId, userName: email.split('@')[0], email, isAdmin: false });
      expect(me.body.workspace.slug).toBe(admin.workspace.slug);

      const users = await listUsers(admin);
      expect(users).toContainEqual(expect.objectContaining({ id: res.body.userId, email, isAdmin: false }));
      expect((await passwordLogin(email, 'some-other-password')).status).toBe(401);
    });

    it('adds an admin when asked for role admin', async () => {
      const admin = await app.given.workspace();
      const email = uniqueEmail('coadmin');
      const res = await admin.api.post('/users/add', { email, role: 'admin', password: 'coadmin-password' });
      expect(res.status).toBe(200);

      const login = await passwordLogin(email, 'coadmin-password');
      const coAdmin = app.api.withToken(login.body.accessToken);
      expect((await coAdmin.get('/auth/me')).body.user.isAdmin).toBe(true);
      // The new admin can use admin routes.
      const added = await coAdmin.post('/users/add', { email: uniqueEmail('byCoadmin') });
      expect(added.status).toBe(200);
      expect((await listUsers(admin)).find((u) => u.id === res.body.userId)?.isAdmin).toBe(true);
    });

    it('adds a plain user by default, lower-casing the e-mail', async () => {
      const admin = await app.given.workspace();
      const email = uniqueEmail('mixed');
      const res = await admin.api.post('/users/add', {
        email: `  ${email.toUpperCase()}  `,
        password: 'mixed-password',
      });
      expect(res.status).toBe(200);
      const user = (await listUsers(admin)).find((u) => u.id === res.body.userId);
      expect(user).toMatchObject({ email, isAdmin: false });
      expect((await passwordLogin(email, 'mixed-password')).status).toBe(200);
    });

    it('answers a non-admin with 403 ADMIN_REQUIRED and adds nothing', async () => {
      const admin = await app.given.workspace();
      const member = await app.given.member(admin);
      const email = uniqueEmail('sneaky');
      const res = await member.api.post('/users/add', { email, role: 'admin', password: 'sneaky-password' });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ error: expect.any(String), code: 'ADMIN_REQUIRED' });
      expect((await listUsers(admin)).map((u) => u.email)).not.toContain(email);
      expect((await passwordLogin(email, 'sneaky-password')).status).toBe(401);
    });

    it('answers adding an existing member again with 409 USER_ALREADY_MEMBER', async () => {
      const admin = await app.given.workspace();
      const member = await app.given.member(admin);
      const res = await admin.api.post('/users/add', { email: member.email, role: 'admin' });
      expect(res.status).toBe(409);
      expect(res.body).toEqual({ error: expect.any(String), code: 'USER_ALREADY_MEMBER' });
      // The failed add did not promote the member.
      expect((await listUsers(admin)).find((u) => u.id === member.id)?.isAdmin).toBe(false);

      const self = await admin.api.post('/users/add', { email: admin.email.toUpperCase() });
      expectError(self, 409, 'USER_ALREADY_MEMBER');
    });

    it.each([
      ['a missing email', {}],
      ['an invalid email', { email: 'not-an-email' }],
      ['an unknown role', { email: uniqueEmail('role'), role: 'owner' }],
      ['a password under 8 characters', { email: uniqueEmail('short'), password: 'short' }],
      ['an unknown field', { email: uniqueEmail('extra'), isAdmin: true }],
    ])('answers %s with 400', async (_, body) => {
      const admin = await app.given.workspace();
      const res = await admin.api.post('/users/add', body);
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(await listUsers(admin)).toHaveLength(1);
    });

    it('requires a token', async () => {
      const res = await app.api.post('/users/add', { email: uniqueEmail('anon') });
      expect(res.status).toBe(401);
    });
  });

  describe('the membership-only rule', () => {
    it('adding an existing identity to another workspace never sets its password', async () => {
      const original = await app.given.admin();
      const b = await app.given.workspace();
      const res = await b.api.post('/users/add', { email: 'admin@example.com', password: 'takeover-pass-123' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ success: true, userId: original.id });

      const takeover = await passwordLogin('admin@example.com', 'takeover-pass-123');
      expectError(takeover, 401, 'INVALID_CREDENTIALS');
      const takeoverIntoB = await passwordLogin('admin@example.com', 'takeover-pass-123', b.workspace.slug);
      expect(takeoverIntoB.status).toBe(401);
      expect((await passwordLogin('admin@example.com', ADMIN_PASSWORD)).status).toBe(200);

      // The identity is now a plain member of B, and still the admin of its own workspace.
      expect((await listUsers(b)).find((u) => u.id === original.id)).toMatchObject({
        email: 'admin@example.com',
        isAdmin: false,
      });
      const intoB = await passwordLogin('admin@example.com', ADMIN_PASSWORD, b.workspace.slug);
      expect(intoB.status).toBe(200);
      const me = await app.api.withToken(intoB.body.accessToken).get('/auth/me');
      expect(me.body.workspace.slug).toBe(b.workspace.slug);
      const workspaces = await original.api.get('/workspaces');
      expect(workspaces.body.workspaces).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ slug: 'default', role: 'admin' }),
          expect.objectContaining({ slug: b.workspace.slug, role: 'user' }),
        ]),
      );
    });

    it('does not give a password to an existing identity that has none', async () => {
      const a = await app.given.workspace();
      const victim = await app.given.member(a);
      const b = await app.given.workspace();
      const res = await b.api.post('/users/add', { email: victim.email, password: 'takeover-pass-123' });
      expect(res.status).toBe(200);
      expect(res.body.userId).toBe(victim.id);
      const login = await passwordLogin(victim.email, 'takeover-pass-123');
      expectError(login, 401, 'INVALID_CREDENTIALS');
    });

    it("leaves the identity's name and its other memberships alone", async () => {
      const a = await app.given.workspace();
      const shared = await app.given.member(a, { role: 'admin' });
      const renamed = await shared.api.put('/users/me', { userName: 'Shared Person' });
      expect(renamed.status).toBe(200);
      const b = await app.given.workspace();
      expect((await b.api.post('/users/add', { email: shared.email, role: 'user' })).status).toBe(200);

      const inA = (await listUsers(a)).find((u) => u.id === shared.id);
      expect(inA).toMatchObject({ userName: 'Shared Person', isAdmin: true });
      const inB = (await listUsers(b)).find((u) => u.id === shared.id);
      expect(inB).toMatchObject({ userName: 'Shared Person', isAdmin: false });
      // Shared's existing session in A still works, with A's role.
      expect((await shared.api.get('/auth/me')).body.user.isAdmin).toBe(true);
    });
  });

  describe('PUT /users/me', () => {
    it('renames the caller and answers with the user', async () => {
      const admin = await app.given.workspace();
      const member = await app.given.member(admin);
      const res = await member.api.put('/users/me', { userName: '  New Name  ' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ user: { id: member.id, userName: 'New Name', email: member.email, isAdmin: false } });

      expect((await listUsers(admin)).find((u) => u.id === member.id)?.userName).toBe('New Name');
      expect((await member.api.get('/auth/me')).body.user.userName).toBe('New Name');
    });

    it('reports isAdmin for the current workspace', async () => {
      const admin = await app.given.workspace();
      const res = await admin.api.put('/users/me', { userName: 'The Boss' });
      expect(res.status).toBe(200);
      expect(res.body.user).toMatchObject({ id: admin.id, userName: 'The Boss', isAdmin: true });
    });

    it('renames the identity in every workspace it belongs to', async () => {
      const owner = await app.given.workspace();
      await owner.api.put('/users/me', { userName: 'Everywhere' });
      const defaultAdmin = await app.given.admin();
      expect((await listUsers(defaultAdmin)).find((u) => u.id === owner.id)?.userName).toBe('Everywhere');
    });

    it('accepts a name of exactly 64 characters', async () => {
      const admin = await app.given.workspace();
      const res = await admin.api.put('/users/me', { userName: 'x'.repeat(64) });
      expect(res.status).toBe(200);
      expect(res.body.user.userName).toBe('x'.repeat(64));
    });

    it.each([
      ['an empty name', { userName: '' }],
      ['a blank name', { userName: '    ' }],
      ['a name over 64 characters', { userName: 'x'.repeat(65) }],
      ['a missing name', {}],
      ['a non-string name', { userName: 12345 }],
      ['an unknown field', { userName: 'Fine', email: 'new@example.com' }],
    ])('answers %s with 400 and changes nothing', async (_, body) => {
      const admin = await app.given.workspace();
      const before = (await admin.api.get('/auth/me')).body.user;
      const res = await admin.api.put('/users/me', body);
      expectError(res, 400, 'VALIDATION_FAILED');
      expect((await admin.api.get('/auth/me')).body.user).toEqual(before);
    });

    it('requires a token', async () => {
      const res = await app.api.put('/users/me', { userName: 'Nobody' });
      expect(res.status).toBe(401);
    });
  });

  describe('a caller from another workspace', () => {
    it("only ever sees and changes its own workspace's members", async () => {
      const a = await app.given.workspace();
      const aMember = await app.given.member(a);
      const b = await app.given.workspace();
      const aBefore = await listUsers(a);

      // B adds someone: they join B, not A.
      const added = await b.api.post('/users/add', { email: uniqueEmail('bOnly'), password: 'b-only-password' });
      expect(added.status).toBe(200);
      expect((await listUsers(a)).map((u) => u.id)).toEqual(aBefore.map((u) => u.id));
      expect((await listUsers(b)).map((u) => u.id)).toContain(added.body.userId);

      // B renames itself: A's members are untouched.
      await b.api.put('/users/me', { userName: 'B Owner' });
      expect((await listUsers(a)).find((u) => u.id === aMember.id)?.userName).toBe(aMember.email.split('@')[0]);

      // Adding A's member to B is only a membership in B: A's view is unchanged.
      expect((await b.api.post('/users/add', { email: aMember.email, role: 'admin' })).status).toBe(200);
      expect((await listUsers(a)).find((u) => u.id === aMember.id)?.isAdmin).toBe(false);
      expect((await aMember.api.get('/auth/me')).body.workspace.slug).toBe(a.workspace.slug);
    });
  });
});
