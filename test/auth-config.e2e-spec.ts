import { ADMIN_PASSWORD, createTestApp, TestApp } from './support/test-app';

const CLIENT_ID = 'auth-config-client-id.apps.example';
const CLIENT_SECRET = 'auth-config-client-secret-do-not-leak';
const JWT_SECRET = 'auth-config-e2e-signing-secret-0123456789abcdef';

/**
 * `GET /auth/config`: what the login screen shows (PRODUCT.md §4b) follows AUTH_MODES and
 * INVITE_REQUIRED, without a token and without a secret.
 */
describe('GET /auth/config', () => {
  describe('with dev and password modes, invites required (the test default)', () => {
    let app: TestApp;
    beforeAll(async () => (app = await createTestApp({ AUTH_MODES: 'password,dev' })));
    afterAll(() => app.close());

    it('lists the enabled modes in a stable order, sign-up closed, no providers, the server name', async () => {
      const res = await app.api.get('/auth/config');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('application/json');
      expect(res.body).toEqual({
        modes: ['dev', 'password'],
        registration: false,
        providers: [],
        serverName: 'Parley',
      });
    });

    it('needs no token, and a stale or forged one does not get in the way', async () => {
      expect((await app.api.withToken('not-a-jwt').get('/auth/config')).status).toBe(200);
      const res = await app.api.get('/auth/config', { Authorization: 'Basic Zm9vOmJhcg==' });
      expect(res.status).toBe(200);
      expect(res.body.modes).toEqual(['dev', 'password']);
    });

    it("names the server after the default workspace's settings, not any other workspace's", async () => {
      const admin = await app.given.admin();
      expect((await admin.api.put('/server/settings', { name: 'Acme Chat' })).status).toBe(200);
      const other = await app.given.workspace();
      expect((await other.api.put('/server/settings', { name: 'Somebody else' })).status).toBe(200);
      expect((await app.api.get('/auth/config')).body.serverName).toBe('Acme Chat');
    });
  });

  describe('with every mode and open sign-up', () => {
    let app: TestApp;
    beforeAll(
      async () =>
        (app = await createTestApp({
          // Deliberately out of order: the answer's order does not depend on how AUTH_MODES is written.
          AUTH_MODES: 'oauth,magic-link,password,dev',
          INVITE_REQUIRED: 'false',
          OAUTH_GOOGLE_CLIENT_ID: CLIENT_ID,
          OAUTH_GOOGLE_CLIENT_SECRET: CLIENT_SECRET,
          JWT_SECRET,
        })),
    );
    afterAll(() => app.close());

    it('lists all four modes, sign-up open, and the providers as GET /auth/oauth/providers does', async () => {
      const res = await app.api.get('/auth/config');
      expect(res.status).toBe(200);
      const providers = (await app.api.get('/auth/oauth/providers')).body.providers;
      expect(providers).toEqual([{ id: 'google', name: 'Google', loginUrl: '/auth/oauth/google' }]);
      expect(res.body).toEqual({
        modes: ['dev', 'password', 'magic-link', 'oauth'],
        registration: true,
        providers,
        serverName: 'Parley',
      });
      // Registration it announces is really open.
      const email = `self-${Date.now()}@example.com`;
      expect((await app.api.post('/auth/register', { email, password: 'long-enough-pw' })).status).toBe(200);
    });

    it('gives away no secret', async () => {
      const { text } = await app.api.get('/auth/config');
      for (const secret of [CLIENT_ID, CLIENT_SECRET, JWT_SECRET, ADMIN_PASSWORD, 'admin@example.com']) {
        expect(text).not.toContain(secret);
      }
    });
  });

  describe('sign-up follows the password mode and INVITE_REQUIRED', () => {
    const configOf = async (env: Record<string, string>) => {
      const app = await createTestApp(env);
      try {
        const res = await app.api.get('/auth/config');
        expect(res.status).toBe(200);
        return { modes: res.body.modes, registration: res.body.registration, providers: res.body.providers };
      } finally {
        await app.close();
      }
    };

    it('is closed without password mode, even with INVITE_REQUIRED=false', async () => {
      expect(await configOf({ AUTH_MODES: 'magic-link', INVITE_REQUIRED: 'false' })).toEqual({
        modes: ['magic-link'],
        registration: false,
        providers: [],
      });
    });

    it('is open with password mode and INVITE_REQUIRED=false, closed with INVITE_REQUIRED=true', async () => {
      expect(await configOf({ AUTH_MODES: 'password', INVITE_REQUIRED: 'false' })).toEqual({
        modes: ['password'],
        registration: true,
        providers: [],
      });
      expect(await configOf({ AUTH_MODES: 'password', INVITE_REQUIRED: 'true' })).toEqual({
        modes: ['password'],
        registration: false,
        providers: [],
      });
    });
  });
});
