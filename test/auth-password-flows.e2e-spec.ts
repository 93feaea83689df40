import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { expectError, ReceivedMail, SmtpSink, SseClient, startSmtpSink, TestUser } from '@parley/testing';
import { createTestApp, TestApp } from './support/test-app';

const APP_URL = 'http://parley.test';
const uniqueEmail = (prefix = 'pw') => `${prefix}-${randomBytes(4).toString('hex')}@example.com`;
const RESET_SENT = { success: true, message: 'If a matching account was found, a password reset link has been sent.' };

async function mailTo(smtp: SmtpSink, to: string, subject: RegExp, timeoutMs = 10_000): Promise<ReceivedMail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mail = smtp.mails.find((m) => m.to.includes(to.toLowerCase()) && subject.test(m.subject));
    if (mail) return mail;
    if (Date.now() > deadline) throw new Error(`no mail matching ${String(subject)} to ${to}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Follows the link in a mail as the web UI would: purpose, token and workspace from the URL fragment. */
function linkIn(mail: ReceivedMail): { purpose: string; token: string; workspace: string | null } {
  const url = /^http\S+$/m.exec(mail.text)?.[0];
  if (!url) throw new Error(`no link in mail: ${mail.text}`);
  const fragment = new URL(url).hash;
  const [route, query] = fragment.split('?') as [string, string];
  const params = new URLSearchParams(query);
  return {
    purpose: route.replace('#/auth/', ''),
    token: params.get('token') ?? '',
    workspace: params.get('workspace'),
  };
}

describe('password flows', () => {
  let app: TestApp;
  let smtp: SmtpSink;
  let pg: Client;
  const streams: SseClient[] = [];
  beforeAll(async () => {
    smtp = await startSmtpSink();
    app = await createTestApp({
      SMTP_URL: smtp.url,
      AUTH_MODES: 'dev,password,magic-link',
      APP_URL,
      INVITE_REQUIRED: 'false',
    });
    pg = new Client({ connectionString: app.db.url });
    await pg.connect();
  });
  afterEach(() => streams.splice(0).forEach((s) => s.close()));
  afterAll(async () => {
    await pg.end();
    await app.close();
    await smtp.close();
  });

  const passwordLogin = (email: string, password: string, workspace?: string) =>
    app.api.post('/auth/password-login', workspace ? { email, password, workspace } : { email, password });
  const setup = (body: object, headers?: Record<string, string>) => app.api.post('/auth/setup-password', body, headers);
  const requestReset = async (email: string) => {
    const res = await app.api.post('/auth/request-password-reset', { email });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(RESET_SENT);
  };
  const resetLinkFor = async (email: string) => {
    await requestReset(email);
    return linkIn(await mailTo(smtp, email, /Reset your Parley password/));
  };
  const stream = async (user: TestUser) => {
    const s = await SseClient.open(`${app.baseUrl}/events`, { token: user.token });
    streams.push(s);
    await s.waitForType('CONNECTED');
    return s;
  };
  /** A member of the default workspace with a password of their own (set through an invite). */
  const memberWithPassword = async (password: string) => {
    const admin = await app.given.admin();
    const email = uniqueEmail('own');
    expect((await admin.api.post('/users/add', { email })).status).toBe(200);
    const { token } = linkIn(await mailTo(smtp, email, /invited/));
    const res = await setup({ token, password });
    expect(res.status).toBe(200);
    return { email, tokens: res.body as { accessToken: string; refreshToken: string } };
  };

  describe('POST /auth/request-password-reset and /auth/setup-password', () => {
    it('mails a reset link (1 hour) that sets a new password, once, and ends the other sessions', async () => {
      const { email, tokens: before } = await memberWithPassword('first-password-1');
      const link = await resetLinkFor(email);
      expect(link.purpose).toBe('password-reset');
      const mail = await mailTo(smtp, email, /Reset/);
      expect(mail.text).toContain(`${APP_URL}/#/auth/password-reset?token=${link.token}`);
      expect(mail.text).toMatch(/for 1 hour\./);

      const res = await setup({ email, token: link.token, password: 'second-password-2' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        exp: 900,
        tokenType: 'Bearer',
      });
      expect((await app.api.withToken(res.body.accessToken).get('/auth/me')).body.user.email).toBe(email);
      expect((await passwordLogin(email, 'second-password-2')).status).toBe(200);
      expectError(await passwordLogin(email, 'first-password-1'), 401, 'INVALID_CREDENTIALS');
      // The session from before the reset is over.
      expectError(await app.api.withToken(before.accessToken).get('/auth/me'), 401, 'SESSION_INVALID');
      expect((await app.api.post('/auth/refresh', { refreshToken: before.refreshToken })).status).toBe(401);

      expectError(await setup({ token: link.token, password: 'third-password-3' }), 400, 'INVALID_LINK_TOKEN');
      expect((await passwordLogin(email, 'second-password-2')).status).toBe(200);
    });

    it('takes the token as Authorization: Bearer too', async () => {
      const { email } = await memberWithPassword('bearer-password-1');
      const { token } = await resetLinkFor(email);
      const res = await setup({ password: 'bearer-password-2' }, { Authorization: `Bearer ${token}` });
      expect(res.status).toBe(200);
      expect((await passwordLogin(email, 'bearer-password-2')).status).toBe(200);
    });

    it('answers an unknown e-mail exactly alike and mails nothing', async () => {
      const unknown = uniqueEmail('ghost');
      const { email } = await memberWithPassword('known-password-1');
      await requestReset(unknown);
      await resetLinkFor(email);
      await new Promise((r) => setTimeout(r, 200));
      expect(smtp.mails.filter((m) => m.to.includes(unknown))).toHaveLength(0);
    });

    it('refuses a short password with 400 and leaves the link usable', async () => {
      const { email } = await memberWithPassword('short-test-pass-1');
      const { token } = await resetLinkFor(email);
      expectError(await setup({ token, password: 'short' }), 400, 'VALIDATION_FAILED');
      expect((await passwordLogin(email, 'short-test-pass-1')).status).toBe(200);
      expect((await setup({ token, password: 'long-enough-now' })).status).toBe(200);
    });

    it('refuses invalid, expired, foreign-purpose and mismatched tokens with 400, changing nothing', async () => {
      const { email } = await memberWithPassword('unchanged-pass-1');
      expectError(await setup({ token: 'not-a-token', password: 'whatever-1234' }), 400, 'INVALID_LINK_TOKEN');
      expectError(await setup({ token: 'a'.repeat(43), password: 'whatever-1234' }), 400, 'INVALID_LINK_TOKEN');
      expectError(await setup({ password: 'whatever-1234' }), 400, 'VALIDATION_FAILED');

      // A magic-link token does not set passwords.
      await app.api.post('/auth/login', { email });
      const magic = linkIn(await mailTo(smtp, email, /login link/));
      expectError(await setup({ token: magic.token, password: 'whatever-1234' }), 400, 'INVALID_LINK_TOKEN');

      const reset = await resetLinkFor(email);
      expectError(
        await setup({ email: 'other@example.com', token: reset.token, password: 'x-whatever-1' }),
        400,
        'INVALID_LINK_TOKEN',
      );
      expectError(
        await setup({ token: reset.token, password: 'x-whatever-1' }, { Authorization: `Bearer ${magic.token}` }),
        400,
        'VALIDATION_FAILED',
      );
      await pg.query(
        `UPDATE one_time_tokens SET expires_at = now() - interval '1 second'
         WHERE purpose = 'password-reset' AND user_id = (SELECT id FROM users WHERE email = $1)`,
        [email],
      );
      expectError(await setup({ token: reset.token, password: 'x-whatever-1' }), 400, 'INVALID_LINK_TOKEN');
      expect((await passwordLogin(email, 'unchanged-pass-1')).status).toBe(200);
    });

    it('checks a request before using the link: one failing on its own input leaves the same token usable', async () => {
      const { email } = await memberWithPassword('kept-link-pass-1');
      const { token } = await resetLinkFor(email);
      expectError(
        await setup({ email: uniqueEmail('someone-else'), token, password: 'wrong-mail-pass-1' }),
        400,
        'INVALID_LINK_TOKEN',
      );
      expectError(
        await setup({ email, workspace: 'not-one-of-theirs', token, password: 'wrong-space-pass-1' }),
        404,
        'WORKSPACE_NOT_FOUND',
      );
      expect((await passwordLogin(email, 'kept-link-pass-1')).status).toBe(200);
      expectError(await passwordLogin(email, 'wrong-mail-pass-1'), 401, 'INVALID_CREDENTIALS');

      const res = await setup({ email: email.toUpperCase(), token, password: 'right-mail-pass-1' });
      expect(res.status).toBe(200);
      expect((await passwordLogin(email, 'right-mail-pass-1')).status).toBe(200);
      expectError(await setup({ email, token, password: 'once-more-pass-1' }), 400, 'INVALID_LINK_TOKEN');
    });

    it('races a removal of the same member without a deadlock (both lock the identity first)', async () => {
      const admin = await app.given.workspace();
      const email = uniqueEmail('racer');
      const added = await admin.api.post('/users/add', { email });
      expect(added.status).toBe(200);
      const userId = added.body.userId as string;
      const { token } = linkIn(await mailTo(smtp, email, /invited/));
      await app.given.login(email, admin.workspace.slug); // a session in the workspace, for both to revoke
      const waiting = async (n: number) => {
        for (let waited = 0; ; waited += 20) {
          const { rows } = await pg.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity
             WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
          );
          if (rows[0].n >= n) return;
          if (waited > 10_000) throw new Error(`${n} requests never waited for a lock`);
          await new Promise((r) => setTimeout(r, 20));
        }
      };
      // Holds the identity's row so that setup-password, once it holds what it takes first, waits;
      // the removal then runs as far as it can, and both go on together.
      const holder = new Client({ connectionString: app.db.url });
      await holder.connect();
      try {
        await holder.query('BEGIN');
        await holder.query('SELECT 1 FROM users WHERE id = $1 FOR NO KEY UPDATE', [userId]);
        const setupAnswer = setup({ token, password: 'raced-password-1' });
        await waiting(1);
        const removeAnswer = admin.api.delete(`/users/${userId}`);
        await waiting(2);
        await holder.query('COMMIT');
        const [set, removed] = await Promise.all([setupAnswer, removeAnswer]);
        // Never a 500: the removal succeeds, and the setup either goes first (200) or finds its
        // link deleted with the membership (400).
        expect([set.status, removed.status]).not.toContain(500);
        expect(removed.status).toBe(200);
        if (set.status !== 200) expectError(set, 400, 'INVALID_LINK_TOKEN');
      } finally {
        await holder.end();
      }
      const member = await pg.query('SELECT 1 FROM memberships WHERE workspace_id = $1 AND user_id = $2', [
        admin.workspace.id,
        userId,
      ]);
      expect(member.rowCount).toBe(0);
    });

    it('makes a password an admin had chosen the user’s own: it now opens every workspace', async () => {
      const a = await app.given.workspace();
      const b = await app.given.workspace();
      const email = uniqueEmail('freed');
      expect((await a.api.post('/users/add', { email, password: 'chosen-by-admin-a' })).status).toBe(200);
      expect((await b.api.post('/users/add', { email })).status).toBe(200);
      expectError(await passwordLogin(email, 'chosen-by-admin-a', b.workspace.slug), 401, 'INVALID_CREDENTIALS');

      const { token } = await resetLinkFor(email);
      expect((await setup({ token, password: 'my-very-own-pass' })).status).toBe(200);
      const intoB = await passwordLogin(email, 'my-very-own-pass', b.workspace.slug);
      expect(intoB.status).toBe(200);
      // Not confined any more: may switch workspace.
      const sw = await app.api
        .withToken(intoB.body.accessToken)
        .post('/auth/switch-workspace', { workspace: a.workspace.slug });
      expect(sw.status).toBe(200);
    });

    it.each([
      ['a missing email', {}],
      ['an invalid email', { email: 'nope' }],
      ['an unknown field', { email: 'a@example.com', password: 'x' }],
    ])('answers a reset request with %s with 400', async (_, body) => {
      expectError(await app.api.post('/auth/request-password-reset', body), 400, 'VALIDATION_FAILED');
    });
  });

  describe('invites (POST /users/add without a password)', () => {
    it('mails a new identity an invite (7 days) that sets its password and lands in the workspace', async () => {
      const admin = await app.given.workspace();
      const email = uniqueEmail('invitee');
      const added = await admin.api.post('/users/add', { email });
      expect(added.status).toBe(200);
      const mail = await mailTo(smtp, email, /invited/);
      const link = linkIn(mail);
      expect(link).toMatchObject({ purpose: 'invite', workspace: admin.workspace.slug });
      expect(mail.text).toMatch(/7 days/);

      const res = await setup({ token: link.token, password: 'invited-password-1' });
      expect(res.status).toBe(200);
      const me = await app.api.withToken(res.body.accessToken).get('/auth/me');
      expect(me.body.user).toMatchObject({ id: added.body.userId, email, isAdmin: false });
      expect(me.body.workspace.slug).toBe(admin.workspace.slug);
      const login = await passwordLogin(email, 'invited-password-1');
      expect(login.status).toBe(200);
      // Their own password: not confined.
      expect((await app.api.withToken(login.body.accessToken).post('/workspaces', { name: 'Mine' })).status).toBe(200);
      expectError(await setup({ token: link.token, password: 'again-password-2' }), 400, 'INVALID_LINK_TOKEN');
    });

    it('only tells an existing identity it was added, with no token', async () => {
      const existing = await app.given.login(uniqueEmail('existing'));
      const admin = await app.given.workspace();
      expect((await admin.api.post('/users/add', { email: existing.email, password: 'ignored-password' })).status).toBe(
        200,
      );
      const mail = await mailTo(smtp, existing.email, /added to/);
      expect(mail.text).not.toMatch(/token/);
      expect(mail.text).toContain(`${APP_URL}/`);
      const tokens = await pg.query('SELECT 1 FROM one_time_tokens WHERE user_id = $1', [existing.id]);
      expect(tokens.rowCount).toBe(0);
    });

    it('mails nothing when the admin sets the password', async () => {
      const admin = await app.given.workspace();
      const email = uniqueEmail('preset');
      const sentinel = uniqueEmail('sentinel');
      expect((await admin.api.post('/users/add', { email, password: 'preset-password' })).status).toBe(200);
      expect((await admin.api.post('/users/add', { email: sentinel })).status).toBe(200);
      await mailTo(smtp, sentinel, /invited/);
      expect(smtp.mails.filter((m) => m.to.includes(email))).toHaveLength(0);
    });

    it('ends the member’s outstanding invite and reset links when an admin sets the password', async () => {
      const admin = await app.given.workspace();
      const email = uniqueEmail('admin-reset');
      const added = await admin.api.post('/users/add', { email });
      const invite = linkIn(await mailTo(smtp, email, /invited/));
      const reset = await resetLinkFor(email);
      const res = await admin.api.post(`/users/${added.body.userId}/reset-password`, { password: 'admin-set-pass-1' });
      expect(res.status).toBe(200);
      for (const { token } of [invite, reset]) {
        expectError(await setup({ token, password: 'stale-link-pass-1' }), 400, 'INVALID_LINK_TOKEN');
      }
      expect((await passwordLogin(email, 'admin-set-pass-1')).status).toBe(200);
      expectError(await passwordLogin(email, 'stale-link-pass-1'), 401, 'INVALID_CREDENTIALS');
    });

    it('gives a removed member’s invite no further use', async () => {
      const admin = await app.given.workspace();
      const email = uniqueEmail('gone');
      const added = await admin.api.post('/users/add', { email });
      const { token } = linkIn(await mailTo(smtp, email, /invited/));
      expect((await admin.api.delete(`/users/${added.body.userId}`)).status).toBe(200);
      expectError(await setup({ token, password: 'too-late-password' }), 400, 'INVALID_LINK_TOKEN');
    });
  });

  describe('POST /auth/register', () => {
    it('creates an identity with a password in the default workspace, and tells admins its e-mail', async () => {
      const admin = await app.given.admin();
      const member = await app.given.login(uniqueEmail('watcher'));
      const [adminStream, memberStream] = await Promise.all([stream(admin), stream(member)]);
      const email = uniqueEmail('signup');
      const res = await app.api.post('/auth/register', {
        email: `  ${email.toUpperCase()} `,
        password: 'signup-password',
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        exp: 900,
        tokenType: 'Bearer',
      });
      const me = await app.api.withToken(res.body.accessToken).get('/auth/me');
      expect(me.body.user).toMatchObject({ email, isAdmin: false, userName: email.split('@')[0] });
      expect(me.body.workspace.slug).toBe('default');
      expect((await passwordLogin(email, 'signup-password')).status).toBe(200);

      // The watcher's own NEW_USER (its first login) may still arrive on these streams: pick the signup's.
      const signupEvent = (s: SseClient) => s.waitForMatch('NEW_USER', (p: { id: string }) => p.id === me.body.user.id);
      expect((await signupEvent(adminStream)).payload).toEqual({
        id: me.body.user.id,
        userName: email.split('@')[0],
        email,
      });
      expect((await signupEvent(memberStream)).payload).toEqual({ id: me.body.user.id, userName: email.split('@')[0] });
    });

    it('confines a registered password to the default workspace until a mailed link makes it the user’s own', async () => {
      // Someone registers an address that is not theirs before its company adds it.
      const email = uniqueEmail('ceo');
      const registered = await app.api.post('/auth/register', { email, password: 'squatted-password' });
      expect(registered.status).toBe(200);
      const first = app.api.withToken(registered.body.accessToken);
      expectError(await first.post('/workspaces', { name: 'Elsewhere' }), 403, 'SESSION_CONFINED');
      const bigcorp = await app.given.workspace();
      expect((await bigcorp.api.post('/users/add', { email })).status).toBe(200);

      expectError(await passwordLogin(email, 'squatted-password', bigcorp.workspace.slug), 401, 'INVALID_CREDENTIALS');
      const home = await passwordLogin(email, 'squatted-password');
      expect(home.status).toBe(200);
      const squatter = app.api.withToken(home.body.accessToken);
      expect((await squatter.get('/auth/me')).body.workspace.slug).toBe('default');
      for (const session of [first, squatter]) {
        const sw = await session.post('/auth/switch-workspace', { workspace: bigcorp.workspace.slug });
        expectError(sw, 403, 'SESSION_CONFINED');
      }
      expect((await squatter.get('/workspaces')).body.workspaces.map((w: { slug: string }) => w.slug)).toEqual([
        'default',
      ]);

      // The mailbox's owner resets: the password is now theirs, everywhere, and the squatter is out.
      const { token } = await resetLinkFor(email);
      expect((await setup({ token, password: 'the-owners-password' })).status).toBe(200);
      expect((await passwordLogin(email, 'the-owners-password', bigcorp.workspace.slug)).status).toBe(200);
      expectError(await passwordLogin(email, 'squatted-password'), 401, 'INVALID_CREDENTIALS');
      expectError(await squatter.get('/auth/me'), 401, 'SESSION_INVALID');
    });

    it('refuses a taken e-mail or a short password with 400, creating nothing', async () => {
      const taken = await app.given.login(uniqueEmail('taken'));
      expectError(
        await app.api.post('/auth/register', { email: taken.email, password: 'whatever-123' }),
        400,
        'USER_EXISTS',
      );
      expectError(await passwordLogin(taken.email, 'whatever-123'), 401, 'INVALID_CREDENTIALS');
      const email = uniqueEmail('short');
      expectError(await app.api.post('/auth/register', { email, password: 'short' }), 400, 'VALIDATION_FAILED');
      expectError(
        await app.api.post('/auth/register', { email: 'bad', password: 'long-enough' }),
        400,
        'VALIDATION_FAILED',
      );
      expect((await pg.query('SELECT 1 FROM users WHERE email = $1', [email])).rowCount).toBe(0);
    });

    it('creates one identity when the same e-mail signs up twice at once', async () => {
      const email = uniqueEmail('twice');
      const answers = await Promise.all([
        app.api.post('/auth/register', { email, password: 'first-password' }),
        app.api.post('/auth/register', { email, password: 'second-password' }),
      ]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 400]);
      expect((await pg.query('SELECT 1 FROM users WHERE email = $1', [email])).rowCount).toBe(1);
    });
  });

  describe('while invites are required, or password mode is off', () => {
    let closed: TestApp;
    let devOnly: TestApp;
    beforeAll(async () => {
      [closed, devOnly] = await Promise.all([
        createTestApp({ SMTP_URL: smtp.url }),
        createTestApp({ SMTP_URL: smtp.url, AUTH_MODES: 'dev' }),
      ]);
    });
    afterAll(() => Promise.all([closed.close(), devOnly.close()]));

    it('refuses sign-up with 403 INVITE_REQUIRED', async () => {
      const email = uniqueEmail('closed');
      expectError(
        await closed.api.post('/auth/register', { email, password: 'signup-password' }),
        403,
        'INVITE_REQUIRED',
      );
      expectError(
        await closed.api.post('/auth/password-login', { email, password: 'signup-password' }),
        401,
        'INVALID_CREDENTIALS',
      );
    });

    it('answers every password route with 404 AUTH_MODE_DISABLED', async () => {
      const email = uniqueEmail('nomode');
      expectError(
        await devOnly.api.post('/auth/register', { email, password: 'some-password' }),
        404,
        'AUTH_MODE_DISABLED',
      );
      expectError(await devOnly.api.post('/auth/request-password-reset', { email }), 404, 'AUTH_MODE_DISABLED');
      expectError(
        await devOnly.api.post('/auth/setup-password', { token: 'a'.repeat(43), password: 'some-password' }),
        404,
        'AUTH_MODE_DISABLED',
      );
    });
  });
});
