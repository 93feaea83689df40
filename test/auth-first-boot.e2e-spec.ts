import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { loadConfig } from '@parley/config';
import { expectError } from '@parley/testing';
import { startServer } from '../apps/api/src/server';
import { createTestApp, TestApp } from './support/test-app';

const APP_URL = 'http://parley.test';
const LINK = /^\s*(http:\/\/parley\.test\/#\/auth\/initial-admin\?token=([A-Za-z0-9_-]{43})&workspace=default)$/gm;

/** What the server printed to stdout while `work` ran. */
async function stdoutOf<T>(work: () => Promise<T>): Promise<{ result: T; printed: string }> {
  // Captured, not echoed: the link would only clutter the test output.
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    const result = await work();
    const printed = spy.mock.calls
      .map(([chunk]) => (typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString()))
      .join('');
    return { result, printed };
  } finally {
    spy.mockRestore();
  }
}
const linksIn = (printed: string) => [...printed.matchAll(LINK)].map((m) => ({ url: m[1] ?? '', token: m[2] ?? '' }));

describe('first boot with no way to log in', () => {
  // No dev mode, no INITIAL_ADMIN_PASSWORD, no SMTP_URL: only a printed link lets the admin in.
  const lockedOut = { AUTH_MODES: 'password', INITIAL_ADMIN_PASSWORD: '', APP_URL };
  let app: TestApp;
  let printedAtBoot: string;
  let pg: Client;
  beforeAll(async () => {
    const boot = await stdoutOf(() => createTestApp(lockedOut));
    app = boot.result;
    printedAtBoot = boot.printed;
    pg = new Client({ connectionString: app.db.url });
    await pg.connect();
  });
  afterAll(async () => {
    await pg.end();
    await app.close();
  });

  /** Other processes of the same deployment booting (at once) on the same database. */
  const bootAgain = (processes = 1) =>
    stdoutOf(async () => {
      const servers = await Promise.all(
        Array.from({ length: processes }, () =>
          startServer(
            loadConfig({
              ...lockedOut,
              DATABASE_URL: app.db.url,
              PORT: '0',
              LOG_LEVEL: 'silent',
              PARLEY_DATA_DIR: app.dataDir,
              DATABASE_POOL_SIZE: '2',
            }),
          ),
        ),
      );
      await Promise.all(servers.map((server) => server.close()));
    });

  it('prints one setup link for the initial admin, that sets the password and logs in once', async () => {
    const links = linksIn(printedAtBoot);
    expect(links).toHaveLength(1);
    const { token } = links[0];
    expect(printedAtBoot).toContain('admin@example.com');

    // Kept only as its SHA-256, for 24 hours.
    const rows = await pg.query<{ token_hash: Buffer; hours: number }>(
      `SELECT token_hash, round(extract(epoch FROM expires_at - created_at) / 3600)::int AS hours
       FROM one_time_tokens WHERE purpose = 'initial-admin'`,
    );
    expect(rows.rows).toHaveLength(1);
    expect(rows.rows[0]?.hours).toBe(24);
    expect(rows.rows[0]?.token_hash.equals(createHash('sha256').update(token).digest())).toBe(true);

    // A restart (or a second process) while the link is live prints nothing.
    expect(linksIn((await bootAgain()).printed)).toHaveLength(0);

    expectError(
      await app.api.post('/auth/password-login', { email: 'admin@example.com', password: 'chosen-admin-pass' }),
      401,
      'INVALID_CREDENTIALS',
    );
    const res = await app.api.post('/auth/setup-password', { token, password: 'chosen-admin-pass' });
    expect(res.status).toBe(200);
    const me = await app.api.withToken(res.body.accessToken).get('/auth/me');
    expect(me.body.user).toMatchObject({ email: 'admin@example.com', isAdmin: true });
    expect(me.body.workspace.slug).toBe('default');
    const login = await app.api.post('/auth/password-login', {
      email: 'admin@example.com',
      password: 'chosen-admin-pass',
    });
    expect(login.status).toBe(200);
    expect((await app.api.withToken(login.body.accessToken).post('/workspaces', { name: 'Own' })).status).toBe(200);
    expectError(
      await app.api.post('/auth/setup-password', { token, password: 'another-pass-1' }),
      400,
      'INVALID_LINK_TOKEN',
    );

    // Once the admin has a password, no boot prints a link again.
    expect(linksIn((await bootAgain()).printed)).toHaveLength(0);
  });

  it('prints a new link on the next boot once an unused one expired, one for processes booting together', async () => {
    await pg.query("UPDATE users SET password_hash = NULL WHERE email = 'admin@example.com'");
    await pg.query(
      "UPDATE one_time_tokens SET expires_at = now() - interval '1 second' WHERE purpose = 'initial-admin'",
    );
    const links = linksIn((await bootAgain(3)).printed);
    expect(links).toHaveLength(1);
    expect(
      (await app.api.post('/auth/setup-password', { token: links[0].token, password: 'fresh-admin-pass' })).status,
    ).toBe(200);
  });
});

describe('first boot with a way to log in', () => {
  it.each([
    ['INITIAL_ADMIN_PASSWORD', { AUTH_MODES: 'password' }],
    ['SMTP_URL', { AUTH_MODES: 'password', INITIAL_ADMIN_PASSWORD: '', SMTP_URL: 'smtp://127.0.0.1:9' }],
    ['dev mode', { AUTH_MODES: 'dev,password', INITIAL_ADMIN_PASSWORD: '' }],
  ])('prints no link when %s is there', async (_, env) => {
    const { result: app, printed } = await stdoutOf(() => createTestApp({ ...env, APP_URL }));
    try {
      expect(printed).not.toMatch(/initial-admin/);
      const pg = new Client({ connectionString: app.db.url });
      await pg.connect();
      const tokens = await pg.query('SELECT 1 FROM one_time_tokens');
      await pg.end();
      expect(tokens.rowCount).toBe(0);
    } finally {
      await app.close();
    }
  });
});
