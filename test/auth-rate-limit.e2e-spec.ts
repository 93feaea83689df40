import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { loadConfig } from '@parley/config';
import { ApiClient, ApiResponse, expectError, SmtpSink, startSmtpSink } from '@parley/testing';
import { RateLimitService } from '../apps/api/src/auth/rate-limit/rate-limit.service';
import { RunningServer, startServer } from '../apps/api/src/server';
import { ADMIN_PASSWORD, createTestApp, TestApp } from './support/test-app';

const uniqueEmail = (prefix = 'rl') => `${prefix}-${randomBytes(4).toString('hex')}@example.com`;
let lastOctet = 0;
/** A client address of its own for each test, so tests do not share per-IP counters. */
const freshIp = () => `198.51.100.${++lastOctet}`;

const PER_IP = 6;
const PER_ACCOUNT = 3;
const WINDOW = 900;

function expectRateLimited(res: ApiResponse): void {
  expectError(res, 429, 'RATE_LIMITED');
  const retryAfter = Number(res.headers.get('retry-after'));
  // Seconds to the end of the current fixed window (windows are aligned on the epoch).
  const toWindowEnd = WINDOW - (Math.floor(Date.now() / 1000) % WINDOW);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(Math.abs(retryAfter - toWindowEnd)).toBeLessThanOrEqual(2);
}

describe('login rate limits', () => {
  let app: TestApp;
  let smtp: SmtpSink;
  const env = {
    AUTH_MODES: 'dev,password,magic-link',
    AUTH_RATE_LIMIT_PER_IP: String(PER_IP),
    AUTH_RATE_LIMIT_PER_ACCOUNT: String(PER_ACCOUNT),
    AUTH_RATE_LIMIT_WINDOW_SECONDS: String(WINDOW),
    INVITE_REQUIRED: 'false',
    // The test client is the proxy: X-Forwarded-For names the client.
    TRUST_PROXY: 'loopback',
  };
  beforeAll(async () => {
    smtp = await startSmtpSink();
    app = await createTestApp({ ...env, SMTP_URL: smtp.url });
  });
  afterAll(async () => {
    await app.close();
    await smtp.close();
  });

  const from = (ip: string) => ({ 'X-Forwarded-For': ip });
  const passwordLogin = (email: string, password: string, ip: string) =>
    app.api.post('/auth/password-login', { email, password }, from(ip));

  describe('password login', () => {
    it('refuses an account after PER_ACCOUNT failures, from any address, even with the right password', async () => {
      for (let i = 0; i < PER_ACCOUNT; i++) {
        expectError(
          await passwordLogin('admin@example.com', `wrong-${i}-password`, freshIp()),
          401,
          'INVALID_CREDENTIALS',
        );
      }
      expectRateLimited(await passwordLogin('admin@example.com', 'wrong-again-pass', freshIp()));
      expectRateLimited(await passwordLogin('admin@example.com', ADMIN_PASSWORD, freshIp()));
      // Other accounts are not affected, nor other login modes.
      const other = uniqueEmail();
      expect(
        (await app.api.post('/auth/register', { email: other, password: 'other-password' }, from(freshIp()))).status,
      ).toBe(200);
      expect((await passwordLogin(other, 'other-password', freshIp())).status).toBe(200);
      expect((await app.api.post('/auth/dev-login', { email: 'admin@example.com' })).status).toBe(200);
    });

    it('refuses an address after PER_IP failures, whichever accounts it tries', async () => {
      const ip = freshIp();
      for (let i = 0; i < PER_IP; i++) {
        expectError(await passwordLogin(uniqueEmail('spray'), 'guess-password', ip), 401, 'INVALID_CREDENTIALS');
      }
      expectRateLimited(await passwordLogin(uniqueEmail('spray'), 'guess-password', ip));
      expect((await passwordLogin(uniqueEmail('spray'), 'guess-password', freshIp())).status).toBe(401);
    });

    it('answers an unknown account alike: the limit does not tell whether it exists', async () => {
      const ghost = uniqueEmail('ghost');
      for (let i = 0; i < PER_ACCOUNT; i++) {
        expect((await passwordLogin(ghost, 'guess-password', freshIp())).status).toBe(401);
      }
      expectRateLimited(await passwordLogin(ghost, 'guess-password', freshIp()));
    });

    it('does not count successful logins', async () => {
      const email = uniqueEmail('regular');
      const ip = freshIp();
      await app.api.post('/auth/register', { email, password: 'regular-password' }, from(freshIp()));
      for (let i = 0; i < PER_IP + PER_ACCOUNT; i++) {
        expect((await passwordLogin(email, 'regular-password', ip)).status).toBe(200);
      }
    });

    it('counts concurrent guesses before checking them, so none slips past the limit', async () => {
      const email = uniqueEmail('burst');
      await app.api.post('/auth/register', { email, password: 'burst-password' }, from(freshIp()));
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) => passwordLogin(email, `burst-guess-${i}`, freshIp())),
      );
      expect(answers.filter((a) => a.status === 401)).toHaveLength(PER_ACCOUNT);
      expect(answers.filter((a) => a.status === 429)).toHaveLength(10 - PER_ACCOUNT);
    });

    it('does not count a request refused as malformed', async () => {
      const ip = freshIp();
      for (let i = 0; i < PER_IP + 1; i++) {
        expectError(await app.api.post('/auth/password-login', { email: 'x' }, from(ip)), 400, 'VALIDATION_FAILED');
      }
      expect((await passwordLogin(uniqueEmail(), 'guess-password', ip)).status).toBe(401);
    });
  });

  describe('mail-sending routes', () => {
    it('count every request per account, magic links and reset links alike, known or not', async () => {
      const known = uniqueEmail('mailbox');
      await app.api.post('/auth/register', { email: known, password: 'mailbox-password' }, from(freshIp()));
      for (const email of [uniqueEmail('unknown'), known]) {
        const routes = ['/auth/login', '/auth/request-password-reset', '/auth/login'];
        for (const route of routes) expect((await app.api.post(route, { email }, from(freshIp()))).status).toBe(200);
        expectRateLimited(await app.api.post('/auth/request-password-reset', { email }, from(freshIp())));
        expectRateLimited(await app.api.post('/auth/login', { email }, from(freshIp())));
      }
      // Password login counts in buckets of its own: asking for links locks nobody out.
      expect((await passwordLogin(known, 'mailbox-password', freshIp())).status).toBe(200);
    });

    it('count every request per address', async () => {
      const ip = freshIp();
      for (let i = 0; i < PER_IP; i++) {
        expect((await app.api.post('/auth/login', { email: uniqueEmail('many') }, from(ip))).status).toBe(200);
      }
      expectRateLimited(await app.api.post('/auth/request-password-reset', { email: uniqueEmail() }, from(ip)));
    });
  });

  describe('link tokens (verify, setup-password)', () => {
    it('count failed tokens per address, across both routes', async () => {
      const ip = freshIp();
      for (let i = 0; i < PER_IP / 2; i++) {
        const token = randomBytes(32).toString('base64url');
        expectError(
          await app.api.post('/auth/verify', {}, { ...from(ip), Authorization: `Bearer ${token}` }),
          401,
          'INVALID_LINK_TOKEN',
        );
        expectError(
          await app.api.post('/auth/setup-password', { token, password: 'long-enough-1' }, from(ip)),
          400,
          'INVALID_LINK_TOKEN',
        );
      }
      expectRateLimited(await app.api.post('/auth/verify', {}, { ...from(ip), Authorization: 'Bearer x' }));
      expectRateLimited(
        await app.api.post('/auth/setup-password', { token: 'x', password: 'long-enough-1' }, from(ip)),
      );
    });

    it('do not count a link that works', async () => {
      const ip = freshIp();
      const email = uniqueEmail('linked');
      await app.api.post('/auth/register', { email, password: 'linked-password' }, from(freshIp()));
      for (let i = 0; i < PER_ACCOUNT; i++) {
        expect((await app.api.post('/auth/login', { email }, from(freshIp()))).status).toBe(200);
      }
      const deadline = Date.now() + 10_000;
      while (smtp.mails.filter((m) => m.to.includes(email)).length < PER_ACCOUNT && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      const tokens = smtp.mails
        .filter((m) => m.to.includes(email))
        .map((m) => /token=([A-Za-z0-9_-]{43})/.exec(m.text)?.[1] ?? '');
      expect(tokens).toHaveLength(PER_ACCOUNT);
      for (const token of tokens) {
        expect((await app.api.post('/auth/verify', {}, { ...from(ip), Authorization: `Bearer ${token}` })).status).toBe(
          200,
        );
      }
      for (let i = 0; i < PER_IP - 1; i++) {
        await app.api.post('/auth/verify', {}, { ...from(ip), Authorization: 'Bearer nope' });
      }
      expect((await app.api.post('/auth/verify', {}, { ...from(ip), Authorization: 'Bearer nope' })).status).toBe(401);
    });
  });

  describe('client addresses', () => {
    it('counts an IPv6 client by its /64, whichever address of it each attempt comes from', async () => {
      const subnet = `2001:db8:${(++lastOctet).toString(16)}`;
      for (let i = 0; i < PER_IP; i++) {
        const from64 = `${subnet}:1:${(i * 4099).toString(16)}::${(i + 1).toString(16)}`;
        expect((await passwordLogin(uniqueEmail('v6'), 'guess-password', from64)).status).toBe(401);
      }
      expectRateLimited(await passwordLogin(uniqueEmail('v6'), 'guess-password', `${subnet}:1:ffff:ffff:ffff:ffff`));
      // The next /64 is another client.
      expect((await passwordLogin(uniqueEmail('v6'), 'guess-password', `${subnet}:2::1`)).status).toBe(401);
    });

    it('counts an IPv4-mapped IPv6 address as the IPv4 address', async () => {
      const ip = freshIp();
      for (let i = 0; i < PER_IP; i++) {
        const as = i % 2 === 0 ? `::ffff:${ip}` : ip;
        expect((await passwordLogin(uniqueEmail('mapped'), 'guess-password', as)).status).toBe(401);
      }
      expectRateLimited(await passwordLogin(uniqueEmail('mapped'), 'guess-password', ip));
      expectRateLimited(await passwordLogin(uniqueEmail('mapped'), 'guess-password', `::ffff:${ip}`));
    });
  });

  describe('adding members (POST /users/add)', () => {
    const mailsTo = async (email: string) => {
      await new Promise((r) => setTimeout(r, 200));
      return smtp.mails.filter((m) => m.to.includes(email)).length;
    };

    it('counts every add that mails someone per recipient, from any workspace, apart from login mails', async () => {
      const admin = await app.given.workspace();
      const victim = uniqueEmail('victim');
      for (let i = 0; i < PER_ACCOUNT; i++) {
        const added = await admin.api.post('/users/add', { email: victim }, from(freshIp()));
        expect(added.status).toBe(200);
        expect((await admin.api.delete(`/users/${added.body.userId}`)).status).toBe(200);
      }
      expectRateLimited(await admin.api.post('/users/add', { email: victim }, from(freshIp())));
      const other = await app.given.workspace();
      expectRateLimited(await other.api.post('/users/add', { email: victim }, from(freshIp())));
      // Refused: no membership, no mail.
      for (const a of [admin, other]) {
        expect((await a.api.get('/users')).body.users.map((u: { email: string }) => u.email)).not.toContain(victim);
      }
      expect(await mailsTo(victim)).toBe(PER_ACCOUNT);
      // Login mails count apart: being added again and again locks nobody out of magic links.
      expect((await app.api.post('/auth/login', { email: victim }, from(freshIp()))).status).toBe(200);
    });

    it('counts every add that mails someone per client address; an add that mails nobody is not counted', async () => {
      const admin = await app.given.workspace();
      const ip = freshIp();
      for (let i = 0; i < PER_IP; i++) {
        expect((await admin.api.post('/users/add', { email: uniqueEmail('bulk-add') }, from(ip))).status).toBe(200);
      }
      expectRateLimited(await admin.api.post('/users/add', { email: uniqueEmail('bulk-add') }, from(ip)));
      // A new identity with a password the admin chose is mailed nothing.
      const silent = { email: uniqueEmail('silent'), password: 'chosen-by-admin' };
      expect((await admin.api.post('/users/add', silent, from(ip))).status).toBe(200);
    });

    it('takes back an add that fails', async () => {
      const admin = await app.given.workspace();
      const email = uniqueEmail('twice');
      const added = await admin.api.post('/users/add', { email }, from(freshIp()));
      expect(added.status).toBe(200);
      for (let i = 0; i < PER_ACCOUNT + 1; i++) {
        expectError(await admin.api.post('/users/add', { email }, from(freshIp())), 409, 'USER_ALREADY_MEMBER');
      }
      expect((await admin.api.delete(`/users/${added.body.userId}`)).status).toBe(200);
      expect((await admin.api.post('/users/add', { email }, from(freshIp()))).status).toBe(200);
    });
  });

  describe('register', () => {
    it('counts every sign-up per address, successful or not', async () => {
      const ip = freshIp();
      for (let i = 0; i < PER_IP; i++) {
        expect(
          (await app.api.post('/auth/register', { email: uniqueEmail('bulk'), password: 'bulk-password' }, from(ip)))
            .status,
        ).toBe(200);
      }
      const refused = await app.api.post(
        '/auth/register',
        { email: uniqueEmail('bulk'), password: 'bulk-password' },
        from(ip),
      );
      expectRateLimited(refused);
    });
  });

  it('leaves dev login (loopback-only dev mode) unlimited', async () => {
    const ip = freshIp();
    for (let i = 0; i < PER_IP + 2; i++) {
      expect((await app.api.post('/auth/dev-login', { email: 'admin@example.com' }, from(ip))).status).toBe(200);
    }
  });

  it('is shared by every server process on the database', async () => {
    let second: RunningServer | undefined;
    try {
      second = await startServer(
        loadConfig({
          ...env,
          DATABASE_URL: app.db.url,
          PORT: '0',
          HOST: '127.0.0.1',
          LOG_LEVEL: 'silent',
          PARLEY_DATA_DIR: app.dataDir,
          INITIAL_ADMIN_PASSWORD: ADMIN_PASSWORD,
          DATABASE_POOL_SIZE: '3',
        }),
      );
      const other = new ApiClient(second.url);
      const email = uniqueEmail('spread');
      const clients = [app.api, other, app.api, other];
      const answers: number[] = [];
      for (const client of clients) {
        answers.push(
          (await client.post('/auth/password-login', { email, password: 'guess-password' }, from(freshIp()))).status,
        );
      }
      expect(answers).toEqual([401, 401, 401, 429]);
    } finally {
      await second?.close();
    }
  });

  it('prunes counters of windows long over', async () => {
    const pg = new Client({ connectionString: app.db.url });
    await pg.connect();
    try {
      await pg.query(
        `INSERT INTO rate_limit_counters (bucket, window_start, count) VALUES ('auth:password:ip:old', now() - interval '2 days', 9)`,
      );
      const before = await pg.query('SELECT count(*)::int AS n FROM rate_limit_counters');
      const pruned = await app.server.app.get(RateLimitService).prune();
      expect(pruned).toBe(1);
      const after = await pg.query('SELECT count(*)::int AS n FROM rate_limit_counters');
      expect(after.rows[0].n).toBe(before.rows[0].n - 1);
    } finally {
      await pg.end();
    }
  });

  describe('without TRUST_PROXY', () => {
    let direct: TestApp;
    beforeAll(async () => (direct = await createTestApp({ AUTH_RATE_LIMIT_PER_IP: '2' })));
    afterAll(() => direct.close());

    it('ignores X-Forwarded-For: a client cannot pick a fresh address per guess', async () => {
      for (let i = 0; i < 2; i++) {
        const res = await direct.api.post(
          '/auth/password-login',
          { email: uniqueEmail(), password: 'guess-password' },
          from(freshIp()),
        );
        expect(res.status).toBe(401);
      }
      expectRateLimited(
        await direct.api.post(
          '/auth/password-login',
          { email: uniqueEmail(), password: 'guess-password' },
          from(freshIp()),
        ),
      );
    });
  });
});
