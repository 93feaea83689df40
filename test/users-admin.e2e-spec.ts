import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { expectError, SseClient, TestUser } from '@parley/testing';
import { createTestApp, TestApp } from './support/test-app';

const uniqueEmail = (prefix = 'adm') => `${prefix}-${randomBytes(4).toString('hex')}@example.com`;

describe('users admin', () => {
  let app: TestApp;
  let pg: Client;
  const streams: SseClient[] = [];
  beforeAll(async () => {
    app = await createTestApp();
    pg = new Client({ connectionString: app.db.url });
    await pg.connect();
  });
  afterEach(() => streams.splice(0).forEach((s) => s.close()));
  afterAll(async () => {
    await pg.end();
    await app.close();
  });

  const stream = async (user: TestUser) => {
    const s = await SseClient.open(`${app.baseUrl}/events`, { token: user.token });
    streams.push(s);
    await s.waitForType('CONNECTED');
    return s;
  };
  const passwordLogin = (email: string, password: string, workspace?: string) =>
    app.api.post('/auth/password-login', workspace ? { email, password, workspace } : { email, password });
  const adminsOf = async (workspaceId: string): Promise<string[]> =>
    (
      await pg.query<{ user_id: string }>(
        "SELECT user_id FROM memberships WHERE workspace_id = $1 AND role = 'admin' ORDER BY user_id",
        [workspaceId],
      )
    ).rows.map((r) => r.user_id);
  const isMember = async (workspaceId: string, userId: string) =>
    (await pg.query('SELECT 1 FROM memberships WHERE workspace_id = $1 AND user_id = $2', [workspaceId, userId]))
      .rowCount === 1;

  describe('POST /users/:id/reset-password', () => {
    it('sets a password, confined to this workspace, for a member whose only workspace it is', async () => {
      const admin = await app.given.workspace();
      const member = await app.given.member(admin);
      const res = await admin.api.post(`/users/${member.id}/reset-password`, { password: 'reset-by-admin-1' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ success: true });

      const login = await passwordLogin(member.email, 'reset-by-admin-1');
      expect(login.status).toBe(200);
      const me = await app.api.withToken(login.body.accessToken).get('/auth/me');
      expect(me.body.workspace.slug).toBe(admin.workspace.slug);
      // Confined, like any admin-chosen password.
      expectError(
        await app.api.withToken(login.body.accessToken).post('/workspaces', { name: 'X' }),
        403,
        'SESSION_CONFINED',
      );
      // The member's earlier session ended; the admin's did not.
      expectError(await member.api.get('/auth/me'), 401, 'SESSION_INVALID');
      expect((await admin.api.get('/auth/me')).status).toBe(200);
    });

    it('refuses a member who belongs to other workspaces too with 403, changing nothing', async () => {
      const admin = await app.given.workspace();
      const shared = await app.given.member(admin);
      const other = await app.given.workspace();
      expect((await other.api.post('/users/add', { email: shared.email })).status).toBe(200);
      const before = (await pg.query('SELECT password_hash FROM users WHERE id = $1', [shared.id])).rows[0];
      const res = await admin.api.post(`/users/${shared.id}/reset-password`, { password: 'takeover-attempt' });
      expectError(res, 403, 'USER_IN_OTHER_WORKSPACES');
      expect((await pg.query('SELECT password_hash FROM users WHERE id = $1', [shared.id])).rows[0]).toEqual(before);
      expectError(await passwordLogin(shared.email, 'takeover-attempt'), 401, 'INVALID_CREDENTIALS');
      expect((await shared.api.get('/auth/me')).status).toBe(200);
    });

    it('answers a short password with 400, a non-admin with 403, no token with 401', async () => {
      const admin = await app.given.workspace();
      const member = await app.given.member(admin);
      expectError(
        await admin.api.post(`/users/${member.id}/reset-password`, { password: 'short' }),
        400,
        'VALIDATION_FAILED',
      );
      expectError(await admin.api.post(`/users/${member.id}/reset-password`, {}), 400, 'VALIDATION_FAILED');
      expectError(
        await member.api.post(`/users/${admin.id}/reset-password`, { password: 'member-tries-1' }),
        403,
        'ADMIN_REQUIRED',
      );
      expectError(
        await app.api.post(`/users/${member.id}/reset-password`, { password: 'anon-tries-1' }),
        401,
        'AUTH_REQUIRED',
      );
    });

    it('answers a user of another workspace, an unknown id and a malformed id with 404', async () => {
      const a = await app.given.workspace();
      const b = await app.given.workspace();
      const bMember = await app.given.member(b);
      for (const id of [bMember.id, b.id, randomUUID(), 'not-a-uuid']) {
        expectError(
          await a.api.post(`/users/${id}/reset-password`, { password: 'cross-tenant-1' }),
          404,
          'USER_NOT_FOUND',
        );
      }
      expectError(await passwordLogin(bMember.email, 'cross-tenant-1'), 401, 'INVALID_CREDENTIALS');
    });
  });

  describe('DELETE /users/:id', () => {
    it('removes the membership (not the identity), ends its sessions here, and tells the workspace', async () => {
      const admin = await app.given.workspace();
      const member = await app.given.member(admin);
      const watcher = await app.given.member(admin);
      const [adminStream, watcherStream] = await Promise.all([stream(admin), stream(watcher)]);
      const other = await app.given.workspace();
      expect((await other.api.post('/users/add', { email: member.email })).status).toBe(200);
      const inOther = await app.given.login(member.email, other.workspace.slug);

      const res = await admin.api.delete(`/users/${member.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ success: true });
      expect(await isMember(admin.workspace.id, member.id)).toBe(false);
      expectError(await member.api.get('/auth/me'), 401, 'SESSION_INVALID');
      expect((await app.api.post('/auth/refresh', { refreshToken: member.refreshToken })).status).toBe(401);
      // The identity and its other workspaces are untouched.
      expect((await inOther.api.get('/auth/me')).status).toBe(200);
      expect((await admin.api.get('/users')).body.users.map((u: { id: string }) => u.id)).not.toContain(member.id);

      const userName = member.email.split('@')[0];
      const [forAdmin] = await adminStream.waitForType('REMOVE_USER');
      expect(forAdmin.payload).toEqual({ id: member.id, userName, email: member.email });
      const [forWatcher] = await watcherStream.waitForType('REMOVE_USER');
      expect(forWatcher.payload).toEqual({ id: member.id, userName });
    });

    it('drops a password this workspace’s admin had chosen', async () => {
      const admin = await app.given.workspace();
      const email = uniqueEmail('confined');
      const added = await admin.api.post('/users/add', { email, password: 'admin-chose-this' });
      expect((await passwordLogin(email, 'admin-chose-this')).status).toBe(200);
      expect((await admin.api.delete(`/users/${added.body.userId}`)).status).toBe(200);
      expect((await admin.api.post('/users/add', { email })).status).toBe(200);
      expectError(await passwordLogin(email, 'admin-chose-this'), 401, 'INVALID_CREDENTIALS');
    });

    it('removes another admin, but never the last one', async () => {
      const admin = await app.given.workspace();
      const coAdmin = await app.given.member(admin, { role: 'admin' });
      expect((await admin.api.delete(`/users/${coAdmin.id}`)).status).toBe(200);
      expectError(await admin.api.delete(`/users/${admin.id}`), 409, 'LAST_ADMIN');
      expect(await adminsOf(admin.workspace.id)).toEqual([admin.id]);
    });

    it('answers a non-admin with 403, no token with 401, another workspace’s user with 404', async () => {
      const admin = await app.given.workspace();
      const member = await app.given.member(admin);
      const other = await app.given.workspace();
      const otherMember = await app.given.member(other);
      expectError(await member.api.delete(`/users/${admin.id}`), 403, 'ADMIN_REQUIRED');
      expectError(await app.api.delete(`/users/${member.id}`), 401, 'AUTH_REQUIRED');
      for (const id of [otherMember.id, other.id, randomUUID(), 'nope']) {
        expectError(await admin.api.delete(`/users/${id}`), 404, 'USER_NOT_FOUND');
      }
      expect(await isMember(other.workspace.id, otherMember.id)).toBe(true);
      expect(await isMember(admin.workspace.id, member.id)).toBe(true);
    });
  });

  describe('POST /users/exit', () => {
    it('lets a member leave, with the seed answer and a USER_EXIT event (no e-mail in it)', async () => {
      const admin = await app.given.workspace();
      const member = await app.given.member(admin);
      const adminStream = await stream(admin);
      const res = await member.api.post('/users/exit');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ success: true, message: 'You have exited the server' });
      expect(await isMember(admin.workspace.id, member.id)).toBe(false);
      expectError(await member.api.get('/auth/me'), 401, 'SESSION_INVALID');
      const [frame] = await adminStream.waitForType('USER_EXIT');
      expect(frame.payload).toEqual({ id: member.id, userName: member.email.split('@')[0] });
    });

    it('lets an admin leave only while another admin stays', async () => {
      const admin = await app.given.workspace();
      const member = await app.given.member(admin);
      expectError(await admin.api.post('/users/exit'), 409, 'LAST_ADMIN');
      expect((await admin.api.get('/auth/me')).status).toBe(200);
      const coAdmin = await app.given.member(admin, { role: 'admin' });
      expect((await admin.api.post('/users/exit')).status).toBe(200);
      expect(await adminsOf(admin.workspace.id)).toEqual([coAdmin.id]);
      expect(await isMember(admin.workspace.id, member.id)).toBe(true);
    });

    it('requires a token', async () => {
      expectError(await app.api.post('/users/exit'), 401, 'AUTH_REQUIRED');
    });
  });

  describe('PUT /users/:id/role', () => {
    it('promotes and demotes, telling every member with UPDATE_USER (isAdmin)', async () => {
      const admin = await app.given.workspace();
      const member = await app.given.member(admin);
      const watcher = await app.given.member(admin);
      const watcherStream = await stream(watcher);
      const promoted = await admin.api.put(`/users/${member.id}/role`, { role: 'admin' });
      expect(promoted.status).toBe(200);
      expect(promoted.body).toEqual({
        success: true,
        user: expect.objectContaining({ id: member.id, email: member.email, isAdmin: true }),
      });
      // The role applies at once, on the member's existing session.
      expect((await member.api.post('/users/add', { email: uniqueEmail('byPromoted') })).status).toBe(200);
      const [up] = await watcherStream.waitForType('UPDATE_USER');
      expect(up.payload).toEqual({ id: member.id, userName: member.email.split('@')[0], isAdmin: true });

      expect((await admin.api.put(`/users/${member.id}/role`, { role: 'user' })).status).toBe(200);
      const frames = await watcherStream.waitForType('UPDATE_USER', 2);
      expect(frames[1]?.payload).toEqual({ id: member.id, userName: member.email.split('@')[0], isAdmin: false });
      expectError(await member.api.post('/users/add', { email: uniqueEmail('byDemoted') }), 403, 'ADMIN_REQUIRED');
    });

    it('changes nothing and tells nobody when the role is already so', async () => {
      const admin = await app.given.workspace();
      const member = await app.given.member(admin);
      const adminStream = await stream(admin);
      const res = await admin.api.put(`/users/${member.id}/role`, { role: 'user' });
      expect(res.status).toBe(200);
      expect(res.body.user.isAdmin).toBe(false);
      await adminStream.quietFor(300);
      expect(adminStream.events.filter((f) => f.type === 'UPDATE_USER')).toHaveLength(0);
    });

    it('never demotes the last admin', async () => {
      const admin = await app.given.workspace();
      expectError(await admin.api.put(`/users/${admin.id}/role`, { role: 'user' }), 409, 'LAST_ADMIN');
      expect(await adminsOf(admin.workspace.id)).toEqual([admin.id]);
    });

    it.each([
      ['an unknown role', { role: 'owner' }],
      ['no role', {}],
      ['an unknown field', { role: 'user', isAdmin: true }],
    ])('answers %s with 400', async (_, body) => {
      const admin = await app.given.workspace();
      const member = await app.given.member(admin);
      expectError(await admin.api.put(`/users/${member.id}/role`, body), 400, 'VALIDATION_FAILED');
    });

    it('answers a non-admin with 403, no token with 401, another workspace’s user with 404', async () => {
      const admin = await app.given.workspace();
      const member = await app.given.member(admin);
      const other = await app.given.workspace();
      const otherMember = await app.given.member(other);
      expectError(await member.api.put(`/users/${member.id}/role`, { role: 'admin' }), 403, 'ADMIN_REQUIRED');
      expectError(await app.api.put(`/users/${member.id}/role`, { role: 'admin' }), 401, 'AUTH_REQUIRED');
      for (const id of [otherMember.id, randomUUID(), 'nope']) {
        expectError(await admin.api.put(`/users/${id}/role`, { role: 'admin' }), 404, 'USER_NOT_FOUND');
      }
      expect(await adminsOf(other.workspace.id)).toEqual([other.id]);
    });
  });

  describe('user events', () => {
    it('never reach another workspace’s stream, not even where the same user is a member too', async () => {
      const a = await app.given.workspace();
      const b = await app.given.workspace();
      const shared = await app.given.member(a);
      expect((await b.api.post('/users/add', { email: shared.email })).status).toBe(200);
      const leaver = await app.given.member(a);
      const bMember = await app.given.member(b);
      const sharedInB = await app.given.login(shared.email, b.workspace.slug);
      const [aStream, ...bStreams] = await Promise.all([a, b, bMember, sharedInB].map(stream));

      expect((await a.api.put(`/users/${shared.id}/role`, { role: 'admin' })).status).toBe(200);
      expect((await a.api.delete(`/users/${shared.id}`)).status).toBe(200);
      expect((await leaver.api.post('/users/exit')).status).toBe(200);
      await aStream.waitFor((frames) =>
        ['UPDATE_USER', 'REMOVE_USER', 'USER_EXIT'].every((t) => frames.some((f) => f.type === t)),
      );

      // An event in B after all of A's: once it arrived, anything of A's would have come before it.
      expect((await b.api.put(`/users/${bMember.id}/role`, { role: 'admin' })).status).toBe(200);
      for (const s of bStreams) {
        await s.waitFor((frames) => frames.some((f) => f.type === 'UPDATE_USER' && f.payload.id === bMember.id));
        expect(s.events.map((f) => [f.type, f.payload.id])).toEqual([['UPDATE_USER', bMember.id]]);
      }
    });
  });

  describe('the last admin, under concurrency', () => {
    type Act = (x: TestUser, y: TestUser) => Promise<{ status: number; body: { code?: string } }>;
    const acts: Array<[string, Act]> = [
      ['demoting each other', (x, y) => x.api.put(`/users/${y.id}/role`, { role: 'user' })],
      ['each demoting themself', (x) => x.api.put(`/users/${x.id}/role`, { role: 'user' })],
      ['removing each other', (x, y) => x.api.delete(`/users/${y.id}`)],
      ['both leaving', (x) => x.api.post('/users/exit')],
    ];

    /**
     * Holds every membership row of the workspace locked while both requests start, so both pass
     * the auth guard and wait inside their one statement; then lets them race for the rows.
     */
    async function raceAtTheLock(workspaceId: string, both: () => Promise<unknown>[]) {
      const holder = new Client({ connectionString: app.db.url });
      await holder.connect();
      try {
        await holder.query('BEGIN');
        await holder.query('SELECT 1 FROM memberships WHERE workspace_id = $1 FOR UPDATE', [workspaceId]);
        const answers = Promise.all(both());
        for (let waited = 0; ; waited += 20) {
          const blocked = await pg.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity
             WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%admins AS MATERIALIZED%'`,
          );
          if (blocked.rows[0].n === 2) break;
          if (waited > 10_000) throw new Error('the two requests never both reached the lock');
          await new Promise((r) => setTimeout(r, 20));
        }
        await holder.query('COMMIT');
        return await answers;
      } finally {
        await holder.end();
      }
    }

    it.each(acts)('of two admins %s at the same instant, exactly one succeeds', async (_, act) => {
      const a = await app.given.workspace();
      const b = await app.given.member(a, { role: 'admin' });
      const answers = (await raceAtTheLock(a.workspace.id, () => [act(a, b), act(b, a)])) as Awaited<ReturnType<Act>>[];
      expect(answers.map((r) => [r.status, r.body.code ?? 'ok']).sort()).toEqual([
        [200, 'ok'],
        [409, 'LAST_ADMIN'],
      ]);
      expect(await adminsOf(a.workspace.id)).toHaveLength(1);
    });

    it.each(acts)('of two admins %s in free-running rounds, one admin always stays', async (_, act) => {
      for (let round = 0; round < 5; round++) {
        const a = await app.given.workspace();
        const b = await app.given.member(a, { role: 'admin' });
        const answers = await Promise.all([act(a, b), act(b, a)]);
        // The loser may also be stopped earlier, at the auth guard, if the winner committed first
        // (its session gone: 401; no longer an admin: 403).
        expect(answers.filter((r) => r.status === 200)).toHaveLength(1);
        expect([401, 403, 409]).toContain(answers.find((r) => r.status !== 200)?.status);
        expect(await adminsOf(a.workspace.id)).toHaveLength(1);
      }
    });
  });
});
