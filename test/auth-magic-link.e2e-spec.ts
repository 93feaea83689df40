import { createHash, randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { expectError, ReceivedMail, SmtpSink, startSmtpSink } from '@parley/testing';
import { createTestApp, TestApp } from './support/test-app';

const APP_URL = 'http://parley.test:8080';
const uniqueEmail = (prefix = 'magic') => `${prefix}-${randomBytes(4).toString('hex')}@example.com`;
const GENERIC = { success: true, message: 'If a matching account was found, a magic link has been sent.' };

/** The first mail to `to` whose subject matches (mails arrive after the answer: they are sent detached). */
async function mailTo(smtp: SmtpSink, to: string, subject: RegExp, timeoutMs = 10_000): Promise<ReceivedMail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mail = smtp.mails.find((m) => m.to.includes(to.toLowerCase()) && subject.test(m.subject));
    if (mail) return mail;
    if (Date.now() > deadline) throw new Error(`no mail matching ${String(subject)} to ${to}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The link in a mail, as the web UI would read it: token and workspace from the URL fragment. */
function linkIn(mail: ReceivedMail): { url: string; token: string; workspace: string | null } {
  const url = /^http\S+$/m.exec(mail.text)?.[0];
  if (!url) throw new Error(`no link in mail: ${mail.text}`);
  const fragment = new URL(url).hash; // "#/auth/magic-link?token=…"
  const params = new URLSearchParams(fragment.slice(fragment.indexOf('?') + 1));
  return { url, token: params.get('token') ?? '', workspace: params.get('workspace') };
}

describe('magic link login', () => {
  let app: TestApp;
  let smtp: SmtpSink;
  let pg: Client;
  beforeAll(async () => {
    smtp = await startSmtpSink();
    app = await createTestApp({ SMTP_URL: smtp.url, AUTH_MODES: 'dev,password,magic-link', APP_URL });
    pg = new Client({ connectionString: app.db.url });
    await pg.connect();
  });
  afterAll(async () => {
    await pg.end();
    await app.close();
    await smtp.close();
  });

  const requestLink = async (email: string, workspace?: string) => {
    const res = await app.api.post('/auth/login', workspace ? { email, workspace } : { email });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(GENERIC);
    return res;
  };
  const verify = (token: string, body: object = {}) =>
    app.api.post('/auth/verify', body, { Authorization: `Bearer ${token}` });

  it('mails a known member a link whose token logs them in, once', async () => {
    const user = await app.given.login(uniqueEmail());
    await requestLink(user.email);
    const mail = await mailTo(smtp, user.email, /login link/);
    const link = linkIn(mail);
    // The token rides in the fragment (never sent to a server), not in the query.
    expect(link.url.startsWith(`${APP_URL}/#/auth/magic-link?token=`)).toBe(true);
    expect(new URL(link.url).search).toBe('');
    expect(link.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(mail.text).toMatch(/15 minutes/);

    const res = await verify(link.token, { email: user.email });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      exp: 900,
      tokenType: 'Bearer',
    });
    const me = await app.api.withToken(res.body.accessToken).get('/auth/me');
    expect(me.body.user).toMatchObject({ id: user.id, email: user.email });
    expect(me.body.workspace.slug).toBe('default');
    // The refresh token works like any other login's.
    expect((await app.api.post('/auth/refresh', { refreshToken: res.body.refreshToken })).status).toBe(200);

    expectError(await verify(link.token), 401, 'INVALID_LINK_TOKEN');
  });

  it('answers an unknown e-mail exactly alike and mails nothing', async () => {
    const unknown = uniqueEmail('nobody');
    const known = await app.given.login(uniqueEmail('known'));
    const a = await requestLink(unknown);
    const b = await requestLink(known.email);
    expect(a.text).toBe(b.text);
    await mailTo(smtp, known.email, /login link/);
    await new Promise((r) => setTimeout(r, 200));
    expect(smtp.mails.filter((m) => m.to.includes(unknown))).toHaveLength(0);
  });

  it('keeps only the SHA-256 of the token, for 15 minutes', async () => {
    const user = await app.given.login(uniqueEmail('hash'));
    await requestLink(user.email);
    const { token } = linkIn(await mailTo(smtp, user.email, /login link/));
    const rows = await pg.query<{ purpose: string; seconds: number; token_hash: Buffer }>(
      `SELECT purpose, token_hash, extract(epoch FROM expires_at - created_at)::int AS seconds
       FROM one_time_tokens WHERE user_id = $1`,
      [user.id],
    );
    expect(rows.rows).toHaveLength(1);
    expect(rows.rows[0]).toMatchObject({ purpose: 'magic-link', seconds: 900 });
    expect(rows.rows[0]?.token_hash.equals(createHash('sha256').update(token).digest())).toBe(true);
    const dump = await pg.query('SELECT count(*)::int AS n FROM one_time_tokens t WHERE t::text LIKE $1', [
      `%${token}%`,
    ]);
    expect(dump.rows[0].n).toBe(0);
  });

  it('lets exactly one of two concurrent verifies of the same link succeed', async () => {
    const user = await app.given.login(uniqueEmail('race'));
    await requestLink(user.email);
    const { token } = linkIn(await mailTo(smtp, user.email, /login link/));
    const answers = await Promise.all([verify(token), verify(token), verify(token)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 401, 401]);
    const sessions = await pg.query('SELECT 1 FROM sessions WHERE user_id = $1', [user.id]);
    expect(sessions.rowCount).toBe(2); // the dev login, and one from the link
  });

  it('refuses an expired link with 401', async () => {
    const user = await app.given.login(uniqueEmail('late'));
    await requestLink(user.email);
    const { token } = linkIn(await mailTo(smtp, user.email, /login link/));
    await pg.query(`UPDATE one_time_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [user.id]);
    expectError(await verify(token), 401, 'INVALID_LINK_TOKEN');
  });

  it('leads into the workspace named at request time, and mails nothing for one the user is not in', async () => {
    const owner = await app.given.workspace();
    await requestLink(owner.email, owner.workspace.slug);
    const link = linkIn(await mailTo(smtp, owner.email, /login link/));
    expect(link.workspace).toBe(owner.workspace.slug);
    const res = await verify(link.token);
    expect(res.status).toBe(200);
    const me = await app.api.withToken(res.body.accessToken).get('/auth/me');
    expect(me.body.workspace).toMatchObject({ slug: owner.workspace.slug, role: 'admin' });

    const outsider = await app.given.login(uniqueEmail('outsider'));
    await requestLink(outsider.email, owner.workspace.slug);
    await requestLink(owner.email, 'default');
    await mailTo(smtp, owner.email, /login link/);
    await new Promise((r) => setTimeout(r, 200));
    expect(smtp.mails.filter((m) => m.to.includes(outsider.email))).toHaveLength(0);
  });

  it('leaves the link usable when the request names the wrong e-mail or a foreign workspace', async () => {
    const user = await app.given.login(uniqueEmail('careful'));
    const other = await app.given.workspace();
    await requestLink(user.email);
    const { token } = linkIn(await mailTo(smtp, user.email, /login link/));
    expectError(await verify(token, { email: 'someone-else@example.com' }), 401, 'INVALID_LINK_TOKEN');
    expectError(await verify(token, { workspace: other.workspace.slug }), 404, 'WORKSPACE_NOT_FOUND');
    expect((await verify(token, { workspace: 'default' })).status).toBe(200);
  });

  it('does not take an access token (a JWT) for a magic link, nor a missing one', async () => {
    const user = await app.given.login(uniqueEmail('jwt'));
    expectError(await verify(user.token), 401, 'INVALID_LINK_TOKEN');
    expectError(await app.api.post('/auth/verify', {}), 401, 'AUTH_REQUIRED');
    expectError(await app.api.post('/auth/verify', {}, { Authorization: 'Basic abc' }), 401, 'AUTH_REQUIRED');
    expectError(await verify('x'.repeat(43)), 401, 'INVALID_LINK_TOKEN');
  });

  it.each([
    ['a missing email', {}],
    ['an invalid email', { email: 'not-an-email' }],
    ['an unknown field', { email: 'a@example.com', admin: true }],
    ['a non-string workspace', { email: 'a@example.com', workspace: 7 }],
  ])('answers a login request with %s with 400', async (_, body) => {
    expectError(await app.api.post('/auth/login', body), 400, 'VALIDATION_FAILED');
  });

  it('answers a verify body with an unknown field with 400, leaving the link usable', async () => {
    const user = await app.given.login(uniqueEmail('strict'));
    await requestLink(user.email);
    const { token } = linkIn(await mailTo(smtp, user.email, /login link/));
    expectError(await verify(token, { token: 'x' }), 400, 'VALIDATION_FAILED');
    expect((await verify(token)).status).toBe(200);
  });

  describe('when magic-link is not in AUTH_MODES', () => {
    let plain: TestApp;
    beforeAll(async () => (plain = await createTestApp({ SMTP_URL: smtp.url, AUTH_MODES: 'dev,password' })));
    afterAll(() => plain.close());

    it('answers both routes with 404 AUTH_MODE_DISABLED and mails nothing', async () => {
      const email = uniqueEmail('disabled');
      await plain.given.login(email);
      expectError(await plain.api.post('/auth/login', { email }), 404, 'AUTH_MODE_DISABLED');
      expectError(
        await plain.api.post('/auth/verify', {}, { Authorization: `Bearer ${'a'.repeat(43)}` }),
        404,
        'AUTH_MODE_DISABLED',
      );
      await new Promise((r) => setTimeout(r, 200));
      expect(smtp.mails.filter((m) => m.to.includes(email))).toHaveLength(0);
    });
  });
});
