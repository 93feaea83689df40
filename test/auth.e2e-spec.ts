import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { ApiClient, expectError } from '@parley/testing';
import { ADMIN_PASSWORD, createTestApp, TestApp } from './support/test-app';

const JWT_SECRET = 'e2e-auth-signing-secret-0123456789abcdef';

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An HS256 JWT signed with the given secret, built by hand so any claim can be forged. */
function signJwt(payload: Record<string, unknown>, secret: string): string {
  const head = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(payload)}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

const claimsOf = (token: string): { sub: string; wid: string; sid: string; exp: number; iat: number } =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));

const uniqueEmail = (prefix = 'auth') => `${prefix}-${randomBytes(4).toString('hex')}@example.com`;

interface Login {
  api: ApiClient;
  accessToken: string;
  refreshToken: string;
  userId: string;
  sessionId: string;
}

describe('auth', () => {
  let app: TestApp;
  beforeAll(async () => (app = await createTestApp({ JWT_SECRET })));
  afterAll(() => app.close());

  const devLogin = async (email: string): Promise<Login> => {
    const res = await app.api.post('/auth/dev-login', { email });
    expect(res.status).toBe(200);
    return {
      api: app.api.withToken(res.body.accessToken),
      accessToken: res.body.accessToken,
      refreshToken: res.body.refreshToken,
      userId: res.body.user.id,
      sessionId: claimsOf(res.body.accessToken).sid,
    };
  };

  describe('dev login', () => {
    it('answers with the seed shape plus a token pair', async () => {
      const email = uniqueEmail('dev');
      const res = await app.api.post('/auth/dev-login', { email });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        user: { id: expect.any(String), userName: email.split('@')[0], email, isAdmin: false },
        token: expect.any(String),
        accessToken: res.body.token,
        refreshToken: expect.any(String),
        exp: 900,
        tokenType: 'Bearer',
      });
      expect(res.text).not.toContain('$argon2');
    });

    it('logs the same e-mail in as the same identity, case-insensitively', async () => {
      const email = uniqueEmail('case');
      const first = await app.api.post('/auth/dev-login', { email });
      const second = await app.api.post('/auth/dev-login', { email: `  ${email.toUpperCase()} ` });
      expect(second.status).toBe(200);
      expect(second.body.user.id).toBe(first.body.user.id);
      expect(second.body.user.email).toBe(email);
    });

    it('reports the initial admin as an admin of the default workspace', async () => {
      const res = await app.api.post('/auth/dev-login', { email: 'admin@example.com' });
      expect(res.status).toBe(200);
      expect(res.body.user).toMatchObject({ email: 'admin@example.com', isAdmin: true });
    });
  });

  describe('password login', () => {
    it('logs the initial admin in with the seed shape', async () => {
      const res = await app.api.post('/auth/password-login', { email: 'admin@example.com', password: ADMIN_PASSWORD });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        exp: 900,
        tokenType: 'Bearer',
      });
      expect(res.text).not.toContain('$argon2');
      const me = await app.api.withToken(res.body.accessToken).get('/auth/me');
      expect(me.status).toBe(200);
      expect(me.body.user).toMatchObject({ email: 'admin@example.com', isAdmin: true });
    });

    it('issues an access token that lasts 15 minutes', async () => {
      const res = await app.api.post('/auth/password-login', { email: 'admin@example.com', password: ADMIN_PASSWORD });
      const claims = claimsOf(res.body.accessToken);
      expect(claims.exp - claims.iat).toBe(900);
    });

    it('refuses a wrong password with 401 INVALID_CREDENTIALS', async () => {
      const res = await app.api.post('/auth/password-login', {
        email: 'admin@example.com',
        password: 'not-the-password',
      });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: expect.any(String), code: 'INVALID_CREDENTIALS' });
    });

    it('answers an unknown e-mail exactly like a wrong password', async () => {
      const wrong = await app.api.post('/auth/password-login', { email: 'admin@example.com', password: 'nope-nope-1' });
      const unknown = await app.api.post('/auth/password-login', {
        email: uniqueEmail('nobody'),
        password: 'nope-nope-1',
      });
      expect(unknown.status).toBe(401);
      expect(unknown.body).toEqual(wrong.body);
    });

    it('refuses an identity that has no password (dev-created) with 401', async () => {
      const email = uniqueEmail('nopass');
      await devLogin(email);
      const res = await app.api.post('/auth/password-login', { email, password: 'anything-at-all' });
      expectError(res, 401, 'INVALID_CREDENTIALS');
    });

    it('rejects a missing password with 400', async () => {
      const res = await app.api.post('/auth/password-login', { email: 'admin@example.com' });
      expectError(res, 400, 'VALIDATION_FAILED');
    });
  });

  describe('GET /auth/me and access tokens', () => {
    it('returns the caller and their current workspace', async () => {
      const email = uniqueEmail('me');
      const login = await devLogin(email);
      const res = await login.api.get('/auth/me');
      expect(res.status).toBe(200);
      expect(res.body.user).toEqual({ id: login.userId, userName: email.split('@')[0], email, isAdmin: false });
      expect(res.body.workspace).toMatchObject({ slug: 'default', role: 'user', id: claimsOf(login.accessToken).wid });
      expect(res.text).not.toContain('$argon2');
    });

    it('answers no token with 401 AUTH_REQUIRED', async () => {
      const res = await app.api.get('/auth/me');
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: expect.any(String), code: 'AUTH_REQUIRED' });
    });

    it('answers a non-Bearer Authorization header with 401', async () => {
      const res = await app.api.get('/auth/me', { Authorization: 'Basic YWRtaW46YWRtaW4=' });
      expectError(res, 401, 'AUTH_REQUIRED');
    });

    it.each([
      ['plain garbage', 'garbage'],
      ['three garbage segments', 'a.b.c'],
      ['a truncated JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0'],
      ['non-base64 segments', '%%%.^^^.***'],
    ])('answers %s as a token with 401 INVALID_TOKEN, never 500', async (_, token) => {
      const res = await app.api.withToken(token).get('/auth/me');
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: expect.any(String), code: 'INVALID_TOKEN' });
    });

    it('refuses a JWT with valid claims signed with another secret', async () => {
      const login = await devLogin(uniqueEmail('forge'));
      const { sub, wid, sid } = claimsOf(login.accessToken);
      const now = Math.floor(Date.now() / 1000);
      const forged = signJwt({ sub, wid, sid, iat: now, exp: now + 900 }, 'another-secret-another-secret-12345');
      const res = await app.api.withToken(forged).get('/auth/me');
      expectError(res, 401, 'INVALID_TOKEN');
    });

    it('refuses an unsigned (alg none) JWT', async () => {
      const login = await devLogin(uniqueEmail('none'));
      const { sub, wid, sid } = claimsOf(login.accessToken);
      const now = Math.floor(Date.now() / 1000);
      const unsigned = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ sub, wid, sid, iat: now, exp: now + 900 })}.`;
      const res = await app.api.withToken(unsigned).get('/auth/me');
      expectError(res, 401, 'INVALID_TOKEN');
    });

    it('refuses an expired JWT signed with the server secret', async () => {
      const login = await devLogin(uniqueEmail('expired'));
      const { sub, wid, sid } = claimsOf(login.accessToken);
      const now = Math.floor(Date.now() / 1000);
      const expired = signJwt({ sub, wid, sid, iat: now - 2000, exp: now - 1000 }, JWT_SECRET);
      const res = await app.api.withToken(expired).get('/auth/me');
      expectError(res, 401, 'INVALID_TOKEN');
    });

    it('refuses a correctly signed JWT that names no live session', async () => {
      const login = await devLogin(uniqueEmail('nosession'));
      const { sub, wid } = claimsOf(login.accessToken);
      const now = Math.floor(Date.now() / 1000);
      const token = signJwt({ sub, wid, sid: randomUUID(), iat: now, exp: now + 900 }, JWT_SECRET);
      const res = await app.api.withToken(token).get('/auth/me');
      expectError(res, 401, 'SESSION_INVALID');
    });

    it('refuses a correctly signed JWT that lacks the session claims', async () => {
      const login = await devLogin(uniqueEmail('noclaims'));
      const now = Math.floor(Date.now() / 1000);
      const token = signJwt({ sub: login.userId, iat: now, exp: now + 900 }, JWT_SECRET);
      const res = await app.api.withToken(token).get('/auth/me');
      expectError(res, 401, 'INVALID_TOKEN');
    });
  });

  describe('refresh', () => {
    it('rotates the refresh token and keeps both access tokens working', async () => {
      const login = await devLogin(uniqueEmail('rotate'));
      const res = await app.api.post('/auth/refresh', { refreshToken: login.refreshToken });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        exp: 900,
        tokenType: 'Bearer',
      });
      expect(res.body.refreshToken).not.toBe(login.refreshToken);
      expect(claimsOf(res.body.accessToken).sid).toBe(login.sessionId);

      const oldAccess = await login.api.get('/auth/me');
      expect(oldAccess.status).toBe(200);
      const newAccess = await app.api.withToken(res.body.accessToken).get('/auth/me');
      expect(newAccess.status).toBe(200);
      expect(newAccess.body.user.id).toBe(login.userId);

      const next = await app.api.post('/auth/refresh', { refreshToken: res.body.refreshToken });
      expect(next.status).toBe(200);
      expect(next.body.refreshToken).not.toBe(res.body.refreshToken);
    });

    it('within the grace window hands the just-rotated token the same current refresh token', async () => {
      const login = await devLogin(uniqueEmail('grace'));
      const first = await app.api.post('/auth/refresh', { refreshToken: login.refreshToken });
      expect(first.status).toBe(200);
      const again = await app.api.post('/auth/refresh', { refreshToken: login.refreshToken });
      expect(again.status).toBe(200);
      expect(again.body.refreshToken).toBe(first.body.refreshToken);
      expect((await app.api.withToken(again.body.accessToken).get('/auth/me')).status).toBe(200);

      // The session was not revoked: the current token still rotates normally.
      const next = await app.api.post('/auth/refresh', { refreshToken: first.body.refreshToken });
      expect(next.status).toBe(200);
      expect(next.body.refreshToken).not.toBe(first.body.refreshToken);
    });

    it('gives two concurrent refreshes with the same token the same new refresh token', async () => {
      const login = await devLogin(uniqueEmail('tabs'));
      const [a, b] = await Promise.all([
        app.api.post('/auth/refresh', { refreshToken: login.refreshToken }),
        app.api.post('/auth/refresh', { refreshToken: login.refreshToken }),
      ]);
      expect([a.status, b.status]).toEqual([200, 200]);
      expect(a.body.refreshToken).toBe(b.body.refreshToken);
      expect((await login.api.get('/auth/me')).status).toBe(200);
    });

    it('treats a token two generations old as reuse even within the grace window', async () => {
      const login = await devLogin(uniqueEmail('old'));
      const r1 = await app.api.post('/auth/refresh', { refreshToken: login.refreshToken });
      const r2 = await app.api.post('/auth/refresh', { refreshToken: r1.body.refreshToken });
      expect(r2.status).toBe(200);
      const reuse = await app.api.post('/auth/refresh', { refreshToken: login.refreshToken });
      expectError(reuse, 401, 'REFRESH_TOKEN_REUSED');
      const current = await app.api.post('/auth/refresh', { refreshToken: r2.body.refreshToken });
      expect(current.status).toBe(401);
      expect((await login.api.get('/auth/me')).status).toBe(401);
    });

    it('answers a malformed or forged refresh token with 401', async () => {
      const login = await devLogin(uniqueEmail('badrefresh'));
      const [sessionId, generation] = login.refreshToken.split('.');
      const forged = `${sessionId}.${Number(generation) + 1}.${'A'.repeat(43)}`;
      for (const refreshToken of ['garbage', forged, `${randomUUID()}.0.${'A'.repeat(43)}`]) {
        const res = await app.api.post('/auth/refresh', { refreshToken });
        expectError(res, 401, 'INVALID_REFRESH_TOKEN');
      }
      // None of that harmed the real session.
      expect((await app.api.post('/auth/refresh', { refreshToken: login.refreshToken })).status).toBe(200);
    });

    it('rejects a refresh without a token with 400', async () => {
      const res = await app.api.post('/auth/refresh', {});
      expectError(res, 400, 'VALIDATION_FAILED');
    });

    it('does not contain a password hash', async () => {
      const res = await app.api.post('/auth/password-login', { email: 'admin@example.com', password: ADMIN_PASSWORD });
      const refreshed = await app.api.post('/auth/refresh', { refreshToken: res.body.refreshToken });
      expect(refreshed.status).toBe(200);
      expect(refreshed.text).not.toContain('$argon2');
    });
  });

  describe('logout', () => {
    it('revokes the session: its access and refresh tokens stop working', async () => {
      const login = await devLogin(uniqueEmail('logout'));
      expect((await login.api.get('/auth/me')).status).toBe(200);
      const res = await app.api.post('/auth/logout', { refreshToken: login.refreshToken });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ success: true });

      const me = await login.api.get('/auth/me');
      expectError(me, 401, 'SESSION_INVALID');
      const refresh = await app.api.post('/auth/refresh', { refreshToken: login.refreshToken });
      expect(refresh.status).toBe(401);
    });

    it("leaves the user's other sessions alone", async () => {
      const email = uniqueEmail('logout2');
      const one = await devLogin(email);
      const two = await devLogin(email);
      await app.api.post('/auth/logout', { refreshToken: one.refreshToken });
      expect((await one.api.get('/auth/me')).status).toBe(401);
      expect((await two.api.get('/auth/me')).status).toBe(200);
    });

    it('answers a garbage refresh token with 401', async () => {
      const res = await app.api.post('/auth/logout', { refreshToken: 'not-a-token' });
      expectError(res, 401, 'INVALID_REFRESH_TOKEN');
    });
  });

  describe('sessions', () => {
    it("lists the caller's sessions and marks the current one", async () => {
      const email = uniqueEmail('sessions');
      const one = await devLogin(email);
      const two = await devLogin(email);
      const res = await two.api.get('/auth/sessions');
      expect(res.status).toBe(200);
      expect(res.body.sessions).toHaveLength(2);
      const ids = res.body.sessions.map((s: { id: string }) => s.id).sort();
      expect(ids).toEqual([one.sessionId, two.sessionId].sort());
      const current = res.body.sessions.filter((s: { current: boolean }) => s.current);
      expect(current).toHaveLength(1);
      expect(current[0]).toMatchObject({
        id: two.sessionId,
        workspaceId: claimsOf(two.accessToken).wid,
        createdAt: expect.any(Number),
        lastUsedAt: expect.any(Number),
      });
      const fromOne = await one.api.get('/auth/sessions');
      expect(fromOne.body.sessions.find((s: { current: boolean }) => s.current).id).toBe(one.sessionId);
    });

    it('does not list sessions that were logged out', async () => {
      const email = uniqueEmail('sessions2');
      const one = await devLogin(email);
      const two = await devLogin(email);
      await app.api.post('/auth/logout', { refreshToken: one.refreshToken });
      const res = await two.api.get('/auth/sessions');
      expect(res.body.sessions.map((s: { id: string }) => s.id)).toEqual([two.sessionId]);
    });

    it('DELETE with no body revokes every other session but not the current one', async () => {
      const email = uniqueEmail('revokeall');
      const one = await devLogin(email);
      const two = await devLogin(email);
      const three = await devLogin(email);
      const res = await one.api.delete('/auth/sessions');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ success: true, revoked: 2 });

      expect((await one.api.get('/auth/me')).status).toBe(200);
      for (const other of [two, three]) {
        const me = await other.api.get('/auth/me');
        expectError(me, 401, 'SESSION_INVALID');
        expect((await app.api.post('/auth/refresh', { refreshToken: other.refreshToken })).status).toBe(401);
      }
      const list = await one.api.get('/auth/sessions');
      expect(list.body.sessions.map((s: { id: string }) => s.id)).toEqual([one.sessionId]);
    });

    it('DELETE with sessionIds revokes exactly those sessions', async () => {
      const email = uniqueEmail('revokeone');
      const one = await devLogin(email);
      const two = await devLogin(email);
      const three = await devLogin(email);
      const res = await one.api.delete('/auth/sessions', { sessionIds: [two.sessionId] });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ success: true, revoked: 1 });
      expect((await one.api.get('/auth/me')).status).toBe(200);
      expect((await two.api.get('/auth/me')).status).toBe(401);
      expect((await three.api.get('/auth/me')).status).toBe(200);
    });

    it("cannot revoke another user's session", async () => {
      const mallory = await devLogin(uniqueEmail('mallory'));
      const victim = await devLogin(uniqueEmail('victim'));
      const res = await mallory.api.delete('/auth/sessions', { sessionIds: [victim.sessionId] });
      expect(res.status).toBe(200);
      expect(res.body.revoked).toBe(0);
      expect((await victim.api.get('/auth/me')).status).toBe(200);
      const list = await mallory.api.get('/auth/sessions');
      expect(list.body.sessions.map((s: { id: string }) => s.id)).not.toContain(victim.sessionId);
    });

    it('rejects session ids that are not UUIDs with 400', async () => {
      const login = await devLogin(uniqueEmail('badids'));
      const res = await login.api.delete('/auth/sessions', { sessionIds: ['not-a-uuid'] });
      expectError(res, 400, 'VALIDATION_FAILED');
      expect((await login.api.get('/auth/me')).status).toBe(200);
    });

    it('requires a token', async () => {
      expect((await app.api.get('/auth/sessions')).status).toBe(401);
      expect((await app.api.delete('/auth/sessions')).status).toBe(401);
    });
  });

  describe('request bodies', () => {
    it('answers malformed JSON with 400 INVALID_JSON', async () => {
      const res = await app.api.post('/auth/dev-login', '{"email": "a@example.com"', {
        'Content-Type': 'application/json',
      });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: expect.any(String), code: 'INVALID_JSON' });
    });

    it('answers an unknown body field with 400 VALIDATION_FAILED', async () => {
      const res = await app.api.post('/auth/dev-login', { email: uniqueEmail('extra'), isAdmin: true });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', error: expect.stringContaining('isAdmin') });
    });

    it('answers a missing email with 400', async () => {
      const res = await app.api.post('/auth/dev-login', {});
      expectError(res, 400, 'VALIDATION_FAILED');
    });

    it.each([['not-an-email'], [42], [['a@example.com']]])('answers email %p with 400', async (email) => {
      const res = await app.api.post('/auth/dev-login', { email });
      expectError(res, 400, 'VALIDATION_FAILED');
    });

    it('answers a JSON array instead of an object with 400', async () => {
      const res = await app.api.post('/auth/dev-login', '[{"email":"array@example.com"}]', {
        'Content-Type': 'application/json',
      });
      expectError(res, 400, 'VALIDATION_FAILED');
    });

    it.each([['application/x-www-form-urlencoded'], ['text/plain']])(
      'answers a %s body with 415, never 500',
      async (type) => {
        const res = await app.api.post('/auth/dev-login', 'email=form@example.com', { 'Content-Type': type });
        expect(res.status).toBe(415);
        expect(res.body).toEqual({ error: expect.any(String), code: 'UNSUPPORTED_MEDIA_TYPE' });
      },
    );

    it('answers an unsupported charset with 415', async () => {
      const res = await app.api.post(
        '/auth/dev-login',
        { email: uniqueEmail('charset') },
        {
          'Content-Type': 'application/json; charset=latin1',
        },
      );
      expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('answers a body that is not encoded as its Content-Encoding claims with 400, never 500', async () => {
      for (const encoding of ['gzip', 'br', 'deflate']) {
        const res = await app.api.post(
          '/auth/dev-login',
          { email: uniqueEmail('enc') },
          {
            'Content-Type': 'application/json',
            'Content-Encoding': encoding,
          },
        );
        expect(res.status).toBe(400);
        expect(res.body).toEqual({ error: expect.any(String), code: 'BAD_REQUEST' });
      }
    });

    it('answers a body over the 1mb limit with 413 PAYLOAD_TOO_LARGE', async () => {
      const body = JSON.stringify({ email: 'big@example.com', padding: 'x'.repeat(1024 * 1024 + 10) });
      const res = await app.api.post('/auth/dev-login', body);
      expect(res.status).toBe(413);
      expect(res.body).toEqual({ error: expect.any(String), code: 'PAYLOAD_TOO_LARGE' });
    });
  });
});

describe('auth with no refresh grace window', () => {
  let app: TestApp;
  beforeAll(async () => (app = await createTestApp({ AUTH_REFRESH_GRACE_SECONDS: '0' })));
  afterAll(() => app.close());

  it('revokes the session when a rotated refresh token is reused', async () => {
    const login = await app.api.post('/auth/dev-login', { email: uniqueEmail('reuse') });
    const access = app.api.withToken(login.body.accessToken);
    const rotated = await app.api.post('/auth/refresh', { refreshToken: login.body.refreshToken });
    expect(rotated.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 5));

    const reuse = await app.api.post('/auth/refresh', { refreshToken: login.body.refreshToken });
    expect(reuse.status).toBe(401);
    expect(reuse.body).toEqual({ error: expect.any(String), code: 'REFRESH_TOKEN_REUSED' });

    const current = await app.api.post('/auth/refresh', { refreshToken: rotated.body.refreshToken });
    expectError(current, 401, 'SESSION_INVALID');
    for (const token of [login.body.accessToken, rotated.body.accessToken]) {
      const me = await app.api.withToken(token).get('/auth/me');
      expectError(me, 401, 'SESSION_INVALID');
    }
    expect((await access.get('/auth/sessions')).status).toBe(401);
  });

  it('revokes only the session whose token was reused', async () => {
    const email = uniqueEmail('reuse2');
    const stolen = await app.api.post('/auth/dev-login', { email });
    const other = await app.api.post('/auth/dev-login', { email });
    await app.api.post('/auth/refresh', { refreshToken: stolen.body.refreshToken });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await app.api.post('/auth/refresh', { refreshToken: stolen.body.refreshToken })).status).toBe(401);
    expect((await app.api.withToken(other.body.accessToken).get('/auth/me')).status).toBe(200);
  });
});

describe('auth with dev mode disabled', () => {
  let app: TestApp;
  beforeAll(async () => (app = await createTestApp({ AUTH_MODES: 'password' })));
  afterAll(() => app.close());

  it('answers dev-login with 404 AUTH_MODE_DISABLED', async () => {
    const res = await app.api.post('/auth/dev-login', { email: 'admin@example.com' });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: expect.any(String), code: 'AUTH_MODE_DISABLED' });
  });

  it('still allows password login', async () => {
    const res = await app.api.post('/auth/password-login', { email: 'admin@example.com', password: ADMIN_PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body.tokenType).toBe('Bearer');
  });
});

describe('auth with password mode disabled', () => {
  let app: TestApp;
  beforeAll(async () => (app = await createTestApp({ AUTH_MODES: 'dev' })));
  afterAll(() => app.close());

  it('answers password-login with 404 AUTH_MODE_DISABLED, even with the right password', async () => {
    const res = await app.api.post('/auth/password-login', { email: 'admin@example.com', password: ADMIN_PASSWORD });
    expectError(res, 404, 'AUTH_MODE_DISABLED');
  });
});
