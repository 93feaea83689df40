import { Client } from 'pg';
import { ADMIN_PASSWORD, createTestApp, TestApp } from './support/test-app';

/** Dumps every row of every table as JSON text, the way an attacker with a backup would see it. */
async function dumpDatabase(url: string): Promise<string> {
  const pg = new Client({ connectionString: url });
  await pg.connect();
  try {
    const tables = await pg.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
    );
    expect(tables.rows.length).toBeGreaterThanOrEqual(9);
    let dump = '';
    for (const { table_name } of tables.rows) {
      // bytea columns become hex; a plaintext token would show up as-is or hex-encoded.
      const rows = await pg.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM "${table_name}" t`);
      dump += rows.rows.map((r) => r.row).join('\n') + '\n';
    }
    return dump;
  } finally {
    await pg.end();
  }
}

const hex = (s: string) => Buffer.from(s).toString('hex');

describe('secrets at rest and in answers', () => {
  let app: TestApp;
  beforeAll(async () => (app = await createTestApp()));
  afterAll(() => app.close());

  it('stores no token or password in plaintext anywhere', async () => {
    const admin = await app.given.admin();
    const login = await app.api.post('/auth/password-login', { email: 'admin@example.com', password: ADMIN_PASSWORD });
    expect(login.status).toBe(200);
    const refreshed = await app.api.post('/auth/refresh', { refreshToken: login.body.refreshToken });
    expect(refreshed.status).toBe(200);
    const memberPassword = 'member-secret-password';
    expect((await admin.api.post('/users/add', { email: 'm@example.com', password: memberPassword })).status).toBe(200);
    const channel = await app.given.channel(admin);
    const webhook = await app.given.webhook(admin, channel.id);
    const posted = await app.api.post(
      `/webhooks/${webhook.id}/messages`,
      { content: 'hello' },
      { Authorization: `Bearer ${webhook.token}` },
    );
    expect(posted.status).toBe(200);

    const dump = await dumpDatabase(app.db.url);
    const secrets = [
      webhook.token,
      admin.token,
      admin.refreshToken,
      login.body.accessToken,
      login.body.refreshToken,
      refreshed.body.refreshToken,
      ADMIN_PASSWORD,
      memberPassword,
    ];
    for (const secret of secrets) {
      expect(dump).not.toContain(secret);
      expect(dump).not.toContain(hex(secret));
    }
    expect(dump).toContain('$argon2id$'); // passwords are there, hashed
  });

  it('never answers with a hash', async () => {
    const admin = await app.given.admin();
    const channel = await app.given.channel(admin);
    await app.given.webhook(admin, channel.id);
    const answers = await Promise.all([
      admin.api.get('/webhooks'),
      admin.api.get('/users'),
      admin.api.get('/auth/me'),
      admin.api.get('/auth/sessions'),
      admin.api.put('/users/me', { userName: 'root' }),
    ]);
    for (const res of answers) {
      expect(res.status).toBe(200);
      expect(res.text).not.toMatch(/argon2|token_?hash|password_?hash|passwordHash|tokenHash/i);
    }
    expect(JSON.stringify(answers[0].body)).not.toContain('token');
  });
});
