import { Client } from 'pg';
import { freePort } from '@parley/common';
import { expectError, FakeOAuthProvider, SseClient, TestUser } from '@parley/testing';
import { OAuthStateCodec } from '../apps/api/src/auth/oauth/oauth-state';
import { createTestApp, TestApp } from './support/test-app';

const JWT_SECRET = 'oauth-e2e-signing-secret-0123456789abcdef';
const COOKIE = 'parley_oauth_google';

interface Hop {
  status: number;
  location: string;
  cookies: string[];
  headers: Headers;
}

/**
 * One browser request that does not follow redirects, so each hop can be looked at; `ip` is the
 * client address a trusted proxy reports (apps booted with TRUST_PROXY=loopback).
 */
async function hop(url: string, cookie?: string, ip?: string): Promise<Hop> {
  const headers: Record<string, string> = {};
  if (cookie) headers.Cookie = cookie;
  if (ip) headers['X-Forwarded-For'] = ip;
  const res = await fetch(url, { redirect: 'manual', headers });
  await res.arrayBuffer();
  return {
    status: res.status,
    location: res.headers.get('location') ?? '',
    cookies: res.headers.getSetCookie(),
    headers: res.headers,
  };
}

const fragmentOf = (location: string) => new URLSearchParams(new URL(location).hash.slice(1));

/** Boots Parley with Google pointed at the fake; APP_URL must be known before boot, hence a fixed port. */
async function bootWithOAuth(google: FakeOAuthProvider, env: Record<string, string> = {}): Promise<TestApp> {
  const port = await freePort();
  return createTestApp({
    PORT: String(port),
    APP_URL: `http://127.0.0.1:${port}`,
    AUTH_MODES: 'dev,password,oauth',
    JWT_SECRET,
    ...google.env(),
    ...env,
  });
}

/**
 * A browser logging in: the start route, the provider's consent, back at the callback with the
 * state cookie. `alter` may change the callback URL or the cookie first, as an attacker would.
 */
async function browserLogin(
  app: TestApp,
  options: { query?: string; alter?: (callback: URL) => void; cookie?: (own: string) => string; ip?: string } = {},
) {
  const start = await hop(`${app.baseUrl}/auth/oauth/google${options.query ?? ''}`, undefined, options.ip);
  expect(start.status).toBe(302);
  const cookie = start.cookies.map((c) => c.split(';')[0]).find((c) => c.startsWith(`${COOKIE}=`))!;
  const consent = await hop(start.location);
  expect(consent.status).toBe(302);
  const callback = new URL(consent.location);
  options.alter?.(callback);
  const back = await hop(callback.toString(), options.cookie ? options.cookie(cookie) : cookie, options.ip);
  expect(back.status).toBe(302);
  return { start, consent, callback, cookie, back, fragment: fragmentOf(back.location), chain: [start, consent, back] };
}

describe('OAuth login (Google, against a fake provider over HTTP)', () => {
  let google: FakeOAuthProvider;

  beforeAll(async () => {
    google = await FakeOAuthProvider.start();
  });
  afterEach(() => google.reset());
  afterAll(() => google.close());

  describe('while invites are required', () => {
    let app: TestApp;
    let admin: TestUser;

    beforeAll(async () => {
      app = await bootWithOAuth(google);
      admin = await app.given.admin();
    });
    afterAll(() => app.close());

    it('lists Google as a provider', async () => {
      const res = await app.api.get('/auth/oauth/providers');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        providers: [{ id: 'google', name: 'Google', loginUrl: '/auth/oauth/google' }],
        count: 1,
      });
    });

    it('redirects to the provider with a signed state, PKCE and a short-lived HttpOnly state cookie', async () => {
      const start = await hop(`${app.baseUrl}/auth/oauth/google`);
      expect(start.status).toBe(302);
      expect(start.headers.get('cache-control')).toBe('no-store');
      const to = new URL(start.location);
      expect(`${to.origin}${to.pathname}`).toBe(google.authorizationUrl);
      expect(Object.fromEntries(to.searchParams)).toMatchObject({
        client_id: google.clientId,
        response_type: 'code',
        redirect_uri: `${app.baseUrl}/auth/oauth/google/callback`,
        scope: 'openid email profile',
        code_challenge_method: 'S256',
      });
      expect(to.searchParams.get('state')).toMatch(/^[\w-]+\.[\w-]{43}$/);
      expect(to.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
      const cookie = start.cookies.find((c) => c.startsWith(`${COOKIE}=`))!;
      expect(cookie).toMatch(/; Max-Age=600;/);
      expect(cookie).toMatch(/; Path=\/auth\/oauth\/google\/callback/);
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; SameSite=Lax/);
    });

    it('logs in a known member; the tokens arrive in the fragment and work', async () => {
      const member = await app.given.member(admin);
      google.loginAs({ email: member.email });
      const { back, fragment } = await browserLogin(app);

      expect(back.location.startsWith(`${app.baseUrl}/#`)).toBe(true);
      expect(new URL(back.location).search).toBe('');
      expect(back.headers.get('cache-control')).toBe('no-store');
      expect(back.headers.get('referrer-policy')).toBe('no-referrer');
      expect(back.cookies.some((c) => c.startsWith(`${COOKIE}=;`))).toBe(true); // the state cookie is cleared
      expect(fragment.get('expires_in')).toBe('900');
      expect(fragment.get('token_type')).toBe('Bearer');

      const me = await app.api.withToken(fragment.get('access_token')!).get('/auth/me');
      expect(me.status).toBe(200);
      expect(me.body.user).toMatchObject({ id: member.id, email: member.email, isAdmin: false });
      expect(me.body.workspace.slug).toBe('default');
      const refreshed = await app.api.post('/auth/refresh', { refreshToken: fragment.get('refresh_token') });
      expect(refreshed.status).toBe(200);
      // The same session system as every other login.
      const sessions = await app.api.withToken(fragment.get('access_token')!).get('/auth/sessions');
      expect(sessions.body.sessions.some((s: { current: boolean }) => s.current)).toBe(true);
    });

    it('never puts a token in a query string, ours or the provider’s', async () => {
      const member = await app.given.member(admin);
      google.loginAs({ email: member.email });
      const { chain, fragment } = await browserLogin(app);
      const secrets = [fragment.get('access_token')!, fragment.get('refresh_token')!];
      for (const { location } of chain) {
        const search = new URL(location).search;
        for (const secret of secrets) expect(search).not.toContain(secret);
      }
      const userInfo = google.requests.filter((r) => r.path === '/v1/userinfo');
      expect(userInfo).toHaveLength(1);
      expect(userInfo[0].url).toBe('/v1/userinfo');
      expect(userInfo[0].authorization).toMatch(/^Bearer \S+$/);
      const token = google.requests.find((r) => r.path === '/token')!;
      expect(token.form.code_verifier).toMatch(/^[\w-]{43}$/);
    });

    it('links the provider account on first login and finds the user by it afterwards', async () => {
      const member = await app.given.member(admin);
      const account = google.loginAs({ email: member.email });
      const first = await browserLogin(app);
      expect(first.fragment.get('access_token')).toBeTruthy();

      const pg = new Client({ connectionString: app.db.url });
      await pg.connect();
      try {
        const { rows } = await pg.query('SELECT user_id FROM oauth_identities WHERE provider = $1 AND subject = $2', [
          'google',
          account.sub,
        ]);
        expect(rows).toEqual([{ user_id: member.id }]);
      } finally {
        await pg.end();
      }

      // The address changed at Google, to one Parley does not know: the link still finds the user.
      google.loginAs({ ...account, email: `renamed-${member.email}` });
      const second = await browserLogin(app);
      const me = await app.api.withToken(second.fragment.get('access_token')!).get('/auth/me');
      expect(me.body.user.id).toBe(member.id);
    });

    it('opens the workspace named in ?workspace= when the user belongs to it', async () => {
      const owner = await app.given.workspace();
      google.loginAs({ email: owner.email });
      const { fragment } = await browserLogin(app, { query: `?workspace=${owner.workspace.slug}` });
      const me = await app.api.withToken(fragment.get('access_token')!).get('/auth/me');
      expect(me.body.workspace.slug).toBe(owner.workspace.slug);

      google.loginAs({ email: (await app.given.member(admin)).email });
      const other = await browserLogin(app, { query: `?workspace=${owner.workspace.slug}` });
      expect(Object.fromEntries(other.fragment)).toEqual({ oauth_error: 'workspace_not_found' });

      expectError(await app.api.get('/auth/oauth/google?workspace=Not_A_Slug'), 400, 'VALIDATION_FAILED');
    });

    it('refuses an unknown e-mail while invites are required, creating nothing', async () => {
      google.loginAs({ email: 'stranger@example.com' });
      const { fragment } = await browserLogin(app);
      expect(Object.fromEntries(fragment)).toEqual({ oauth_error: 'invite_required' });
      const users = await admin.api.get('/users');
      expect(users.body.users.map((u: { email: string }) => u.email)).not.toContain('stranger@example.com');
    });

    it('refuses an e-mail the provider has not verified, even a known one', async () => {
      const member = await app.given.member(admin);
      google.loginAs({ email: member.email, email_verified: false });
      const { fragment } = await browserLogin(app);
      expect(Object.fromEntries(fragment)).toEqual({ oauth_error: 'email_not_verified' });
    });

    it('answers 404 JSON for an unknown provider', async () => {
      expectError(await app.api.get('/auth/oauth/github'), 404, 'OAUTH_PROVIDER_NOT_FOUND');
      expectError(await app.api.get('/auth/oauth/github/callback?code=x&state=y'), 404, 'OAUTH_PROVIDER_NOT_FOUND');
    });

    it('refuses callback parameters on the start route instead of treating it as a callback', async () => {
      expectError(await app.api.get('/auth/oauth/google?code=abc'), 400, 'VALIDATION_FAILED');
      expectError(await app.api.get('/auth/oauth/google?error=access_denied'), 400, 'VALIDATION_FAILED');
    });

    describe('refuses a callback whose state does not hold', () => {
      beforeEach(async () => {
        google.loginAs({ email: (await app.given.member(admin)).email });
      });

      const refused = (fragment: URLSearchParams, code: string) => {
        expect(Object.fromEntries(fragment)).toEqual({ oauth_error: code });
      };

      it('without a state', async () => {
        refused((await browserLogin(app, { alter: (u) => u.searchParams.delete('state') })).fragment, 'invalid_state');
      });

      it('with a forged state', async () => {
        const { fragment } = await browserLogin(app, {
          alter: (u) => {
            const [body, mac] = u.searchParams.get('state')!.split('.');
            const payload = JSON.parse(Buffer.from(body, 'base64url').toString());
            const forged = Buffer.from(JSON.stringify({ ...payload, w: 'someone-elses' })).toString('base64url');
            u.searchParams.set('state', `${forged}.${mac}`);
          },
        });
        refused(fragment, 'invalid_state');
      });

      it('with an expired state', async () => {
        const { fragment } = await browserLogin(app, {
          alter: (u) => {
            const body = u.searchParams.get('state')!.split('.')[0];
            const payload = JSON.parse(Buffer.from(body, 'base64url').toString());
            u.searchParams.set('state', new OAuthStateCodec(JWT_SECRET).encode({ ...payload, e: Date.now() - 1000 }));
          },
        });
        refused(fragment, 'invalid_state');
      });

      it('with another browser’s state cookie, or none', async () => {
        const other = await hop(`${app.baseUrl}/auth/oauth/google`);
        const otherCookie = other.cookies.map((c) => c.split(';')[0]).find((c) => c.startsWith(`${COOKIE}=`))!;
        refused((await browserLogin(app, { cookie: () => otherCookie })).fragment, 'invalid_state');
        refused((await browserLogin(app, { cookie: () => '' })).fragment, 'invalid_state');
        // A cookie value that merely hashes to nothing known, next to unrelated cookies.
        refused((await browserLogin(app, { cookie: () => `a=b; ${COOKIE}=x; c=d` })).fragment, 'invalid_state');
      });

      it('with a malformed or repeated state', async () => {
        refused(
          (await browserLogin(app, { alter: (u) => u.searchParams.set('state', 'garbage') })).fragment,
          'invalid_state',
        );
        const repeated = await browserLogin(app, {
          alter: (u) => u.searchParams.append('state', u.searchParams.get('state')!),
        });
        refused(repeated.fragment, 'invalid_state');
      });
    });

    it('answers hostile callback input with a redirect or a 4xx, never a 500', async () => {
      const callback = `${app.baseUrl}/auth/oauth/google/callback`;
      const cases: Array<[string, string]> = [
        ['?code=a&code=b&state=x', 'invalid_request'],
        [`?code=a&state=${'s'.repeat(5000)}`, 'invalid_state'],
        ['?code=a&state=%E0%A4%A.%ZZ', 'invalid_state'],
        ['?code=a&state=e30.AAAA', 'invalid_state'],
        ['?error[]=x&code=a&state=b', 'invalid_state'],
        ['?error=x&error=y', 'provider_error'],
        ['', 'invalid_state'],
      ];
      for (const [query, code] of cases) {
        const res = await hop(callback + query, `${COOKIE}=%E0%A4%A; ${COOKIE}=`);
        expect([query, res.status]).toEqual([query, 302]);
        expect([query, fragmentOf(res.location).get('oauth_error')]).toEqual([query, code]);
      }
      expect((await hop(`${app.baseUrl}/auth/oauth/%E0%A4%A`)).status).toBeLessThan(500);
      expect((await hop(`${app.baseUrl}/auth/oauth/google?workspace=a&workspace=b`)).status).toBe(400);
    });

    it('refuses a callback without a code', async () => {
      google.loginAs({ email: (await app.given.member(admin)).email });
      const { fragment } = await browserLogin(app, { alter: (u) => u.searchParams.delete('code') });
      expect(Object.fromEntries(fragment)).toEqual({ oauth_error: 'invalid_request' });
    });

    it('does not accept the same callback twice (the code is single-use at the provider)', async () => {
      google.loginAs({ email: (await app.given.member(admin)).email });
      const first = await browserLogin(app);
      expect(first.fragment.get('access_token')).toBeTruthy();
      const replay = await hop(first.callback.toString(), first.cookie);
      expect(Object.fromEntries(fragmentOf(replay.location))).toEqual({ oauth_error: 'provider_error' });
    });

    it('tells the app when the user declines or the provider fails', async () => {
      google.loginAs({ email: (await app.given.member(admin)).email });
      google.behaviour = { authorizeError: 'access_denied' };
      expect(Object.fromEntries((await browserLogin(app)).fragment)).toEqual({ oauth_error: 'access_denied' });
      google.behaviour = { authorizeError: 'temporarily_unavailable' };
      expect(Object.fromEntries((await browserLogin(app)).fragment)).toEqual({ oauth_error: 'provider_error' });
      google.behaviour = { tokenError: 'invalid_grant' };
      expect(Object.fromEntries((await browserLogin(app)).fragment)).toEqual({ oauth_error: 'provider_error' });
      google.behaviour = { userInfoStatus: 500 };
      expect(Object.fromEntries((await browserLogin(app)).fragment)).toEqual({ oauth_error: 'provider_error' });
    });

    it('checks the PKCE verifier: a code redeemed with another browser’s cookie fails at the provider', async () => {
      // Two flows; the second's state and cookie go with the first's code. The state check passes
      // (state and cookie match), but the verifier does not match the first code's challenge.
      google.loginAs({ email: (await app.given.member(admin)).email });
      const a = await hop(`${app.baseUrl}/auth/oauth/google`);
      const codeA = new URL((await hop(a.location)).location).searchParams.get('code')!;
      const b = await hop(`${app.baseUrl}/auth/oauth/google`);
      const cookieB = b.cookies.map((c) => c.split(';')[0]).find((c) => c.startsWith(`${COOKIE}=`))!;
      const callbackB = new URL((await hop(b.location)).location);
      callbackB.searchParams.set('code', codeA);
      const back = await hop(callbackB.toString(), cookieB);
      expect(Object.fromEntries(fragmentOf(back.location))).toEqual({ oauth_error: 'provider_error' });
    });
  });

  describe('while invites are not required', () => {
    let app: TestApp;
    let admin: TestUser;

    beforeAll(async () => {
      app = await bootWithOAuth(google, { INVITE_REQUIRED: 'false' });
      admin = await app.given.admin();
    });
    afterAll(() => app.close());

    it('creates an unknown verified e-mail as a user of the default workspace, once', async () => {
      const stream = await SseClient.open(`${app.baseUrl}/events`, { token: admin.token });
      try {
        await stream.waitForType('CONNECTED');
        const account = google.loginAs({ email: 'Newcomer@Example.com' });
        const first = await browserLogin(app);
        const me = await app.api.withToken(first.fragment.get('access_token')!).get('/auth/me');
        expect(me.status).toBe(200);
        expect(me.body.user).toMatchObject({ email: 'newcomer@example.com', userName: 'newcomer', isAdmin: false });
        expect(me.body.workspace.slug).toBe('default');

        const created = await stream.waitForMatch('NEW_USER', (p: { id: string }) => p.id === me.body.user.id);
        expect(created.payload).toEqual({ id: me.body.user.id, userName: 'newcomer', email: 'newcomer@example.com' });

        google.loginAs(account);
        const second = await browserLogin(app);
        const again = await app.api.withToken(second.fragment.get('access_token')!).get('/auth/me');
        expect(again.body.user.id).toBe(me.body.user.id);
        await stream.quietFor(300);
        expect(stream.events.filter((e) => e.type === 'NEW_USER')).toHaveLength(1);
      } finally {
        stream.close();
      }
    });

    it('still refuses an unverified e-mail', async () => {
      google.loginAs({ email: 'unverified@example.com', email_verified: false });
      expect(Object.fromEntries((await browserLogin(app)).fragment)).toEqual({ oauth_error: 'email_not_verified' });
    });
  });

  describe('rate limits', () => {
    const PER_IP = 3;
    const PER_ACCOUNT = 2;
    let app: TestApp;
    let limited: FakeOAuthProvider;
    let lastOctet = 0;
    /** A client address of its own for each check, so per-IP and per-account counts stay apart. */
    const freshIp = () => `203.0.113.${++lastOctet}`;
    const forgedCallback = (ip: string) => hop(`${app.baseUrl}/auth/oauth/google/callback?code=x&state=forged`, '', ip);

    beforeAll(async () => {
      limited = await FakeOAuthProvider.start();
      app = await bootWithOAuth(limited, {
        AUTH_RATE_LIMIT_PER_IP: String(PER_IP),
        AUTH_RATE_LIMIT_PER_ACCOUNT: String(PER_ACCOUNT),
        // The test client is the proxy: X-Forwarded-For names the client.
        TRUST_PROXY: 'loopback',
      });
    });
    afterAll(async () => {
      await app.close();
      await limited.close();
    });

    it('limits refused sign-ins per account, from any address', async () => {
      limited.loginAs({ email: 'probe@example.com' });
      for (let i = 0; i < PER_ACCOUNT; i++) {
        const { fragment } = await browserLogin(app, { ip: freshIp() });
        expect(Object.fromEntries(fragment)).toEqual({ oauth_error: 'invite_required' });
      }
      const { fragment } = await browserLogin(app, { ip: freshIp() });
      expect(Object.fromEntries(fragment)).toEqual({ oauth_error: 'rate_limited' });
    });

    it('limits failed callbacks per IP, apart from starts', async () => {
      const ip = freshIp();
      for (let i = 0; i < PER_IP; i++) {
        expect(fragmentOf((await forgedCallback(ip)).location).get('oauth_error')).toBe('invalid_state');
      }
      expect(fragmentOf((await forgedCallback(ip)).location).get('oauth_error')).toBe('rate_limited');
      expect(fragmentOf((await forgedCallback(freshIp())).location).get('oauth_error')).toBe('invalid_state');
      // Starts count in their own bucket: this address may still start a login.
      expect((await hop(`${app.baseUrl}/auth/oauth/google`, undefined, ip)).status).toBe(302);
    });

    it('limits starts per IP with 429 and Retry-After, apart from callbacks', async () => {
      const ip = freshIp();
      for (let i = 0; i < PER_IP; i++) {
        expect((await hop(`${app.baseUrl}/auth/oauth/google`, undefined, ip)).status).toBe(302);
      }
      const start = await app.api.get('/auth/oauth/google', { 'X-Forwarded-For': ip });
      expectError(start, 429, 'RATE_LIMITED');
      expect(Number(start.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(fragmentOf((await forgedCallback(ip)).location).get('oauth_error')).toBe('invalid_state');
    });

    it('does not count logins that succeed: one office behind one address logs in again and again', async () => {
      const admin = await app.given.admin();
      const members = [await app.given.member(admin), await app.given.member(admin)];
      const office = freshIp();
      for (let i = 0; i < 2 * (PER_IP + PER_ACCOUNT); i++) {
        const member = members[i % members.length];
        limited.loginAs({ email: member.email });
        const { fragment } = await browserLogin(app, { ip: office });
        expect(fragment.get('oauth_error')).toBeNull();
        expect((await app.api.withToken(fragment.get('access_token')!).get('/auth/me')).body.user.id).toBe(member.id);
      }
      // Failures from that address still count.
      for (let i = 0; i < PER_IP; i++) await forgedCallback(office);
      expect(fragmentOf((await forgedCallback(office)).location).get('oauth_error')).toBe('rate_limited');
    });
  });

  describe('while oauth is not an enabled mode', () => {
    let app: TestApp;

    beforeAll(async () => {
      app = await createTestApp({ ...google.env() });
    });
    afterAll(() => app.close());

    it('lists no provider and has no login route', async () => {
      expect((await app.api.get('/auth/oauth/providers')).body).toEqual({ providers: [], count: 0 });
      expectError(await app.api.get('/auth/oauth/google'), 404, 'AUTH_MODE_DISABLED');
      expectError(await app.api.get('/auth/oauth/google/callback?code=x&state=y'), 404, 'AUTH_MODE_DISABLED');
    });
  });
});
