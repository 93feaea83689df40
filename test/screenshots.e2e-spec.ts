import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiClient, createTestDatabase, Given, TestDatabase, TestUser } from '@parley/testing';
import { BrowserContextOptions, Page } from 'playwright-core';
import sharp from 'sharp';
import { connected, describeInChromium, join, useChromium, waitInPage } from './support/chromium';
import { ServerProcess, startServerProcess, waitForExit } from './support/server-process';
import { ADMIN_PASSWORD, testDatabaseServer } from './support/test-app';
import { buildWebForProduction, firstLoadOfRoot, formatSizes } from './support/web-size';

/**
 * `npm run screenshots` sets this: the built server (the jest global setup ran `npm run build`) on
 * its own copy of the test database, seeded through the public API, photographed in Debian's
 * Chromium into docs/screenshots/. Without it this file is skipped and writes nothing.
 * Emoji need a colour emoji font on the machine (Debian: fonts-noto-color-emoji).
 */
const WRITE = process.env.PARLEY_WRITE_SCREENSHOTS === '1';
const OUT = path.join(__dirname, '..', 'docs', 'screenshots');
/**
 * The address the pages are opened at (Chromium maps it to the local server), so the URLs they show
 * (webhook URLs, the room's invite link) are plainly not a real deployment's.
 */
const HOST = 'chat.example.com';
const ORIGIN = `http://${HOST}`;

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
/** Every file this writes, with the size of the page it shows. */
const SHOTS = {
  'login.png': DESKTOP,
  'channel.png': DESKTOP,
  'channel-dark.png': DESKTOP,
  'thread.png': DESKTOP,
  'admin-webhooks.png': DESKTOP,
  'room.png': DESKTOP,
  'phone-channel.png': PHONE,
} as const;
type Shot = keyof typeof SHOTS;

/** A small p99-latency chart (what someone pastes from a dashboard), drawn as SVG, sent as PNG. */
function latencyChart(): Promise<Buffer> {
  const p99 = [180, 175, 190, 185, 640, 1380, 1810, 1720, 950, 240, 185, 181];
  const x = (i: number) => 20 + i * 24;
  const y = (ms: number) => 280 - ms / 8;
  const line = p99.map((ms, i) => `${i === 0 ? 'M' : 'L'}${x(i)},${y(ms)}`).join(' ');
  const grid = [0, 500, 1000, 1500, 2000].map(
    (ms) => `<line x1="20" x2="284" y1="${y(ms)}" y2="${y(ms)}" stroke="#374151"/>`,
  );
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="300" font-family="DejaVu Sans" font-size="18">
  <rect width="300" height="300" fill="#111827"/>
  ${grid.join('')}
  <rect x="${x(4)}" y="20" width="${x(8) - x(4)}" height="${y(0) - 20}" fill="#f87171" opacity="0.18"/>
  <line x1="20" x2="284" y1="${y(500)}" y2="${y(500)}" stroke="#f87171" stroke-width="2" stroke-dasharray="8 6"/>
  <path d="${line}" fill="none" stroke="#60a5fa" stroke-width="6" stroke-linejoin="round"/>
  <text x="24" y="40" fill="#e5e7eb">p99 ms</text>
</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

const suite = WRITE
  ? describeInChromium
  : (_file: string, title: string, body: () => void) => describe.skip(title, body);

suite(__filename, 'README screenshots (npm run screenshots; skipped without PARLEY_WRITE_SCREENSHOTS=1)', () => {
  let db: TestDatabase;
  let dataDir: string;
  let server: ServerProcess;
  let admin: TestUser;
  let alertsName: string;

  const save = async (page: Page, name: Shot) => {
    fs.mkdirSync(OUT, { recursive: true });
    // Let fonts, images and transitions settle, then re-encode at PNG's strongest compression.
    await page.evaluate('document.fonts.ready.then(() => true)');
    await page.waitForTimeout(300);
    const shot = await page.screenshot({ animations: 'disabled', caret: 'hide' });
    fs.writeFileSync(path.join(OUT, name), await sharp(shot).png({ compressionLevel: 9, effort: 10 }).toBuffer());
  };

  const desktop = (options: BrowserContextOptions = {}) =>
    newPage({ viewport: DESKTOP, deviceScaleFactor: 1, locale: 'en-US', timezoneId: 'UTC', ...options });

  /** Logs in as the admin on the login screen and waits for the live stream. */
  const logIn = async (page: Page) => {
    await page.goto(`${ORIGIN}/`);
    await page.getByRole('textbox', { name: 'Email' }).fill('admin@example.com');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('navigation', { name: 'Channels' }).waitFor();
    await connected(page);
  };

  /** Opens #alerts and waits for its last message and the chart to be there. */
  const openAlerts = async (page: Page) => {
    await page
      .getByRole('navigation', { name: 'Channels' })
      .getByRole('link', { name: `# ${alertsName}` })
      .click();
    const log = page.getByRole('log', { name: alertsName });
    await log.getByText('Post-mortem').waitFor();
    await waitInPage(
      page,
      "[...document.querySelectorAll('.team-thumb img')].every((i) => i.complete && i.naturalWidth > 0)",
    );
    return log;
  };

  beforeAll(async () => {
    // The last test checks what this run wrote: nothing left over from an earlier one counts.
    for (const name of Object.keys(SHOTS)) fs.rmSync(path.join(OUT, name), { force: true });
    const { serverUrl, template } = testDatabaseServer();
    db = await createTestDatabase(serverUrl, template);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-screenshots-'));
    server = await startServerProcess({
      DATABASE_URL: db.url,
      PARLEY_DATA_DIR: dataDir,
      APP_URL: ORIGIN,
      AUTH_MODES: 'dev,password',
      INITIAL_ADMIN_PASSWORD: ADMIN_PASSWORD,
      DATABASE_POOL_SIZE: '3',
    });

    // The story: a small platform team, an alert that fires after a deploy, and its resolution.
    const api = new ApiClient(server.baseUrl);
    const given = new Given(api);
    admin = await given.admin();
    const ok = async (res: Promise<{ status: number; text: string; body: any }>) => {
      const answer = await res;
      if (answer.status !== 200) throw new Error(`seeding: ${answer.status} ${answer.text}`);
      return answer.body;
    };
    await ok(admin.api.put('/server/settings', { name: 'Acme Platform' }));
    await ok(admin.api.put('/users/me', { userName: 'Alex Rivera' }));
    const maya = await given.member(admin, { email: 'maya@example.com' });
    const li = await given.member(admin, { email: 'li@example.com' });
    await ok(maya.api.put('/users/me', { userName: 'Maya Chen' }));
    await ok(li.api.put('/users/me', { userName: 'Li Okafor' }));

    const general = (await ok(admin.api.get('/channels'))).channels[0] as { id: string; name: string };
    const deploys = await given.channel(admin, 'deploys');
    const alerts = await given.channel(admin, 'alerts');
    alertsName = alerts.name;
    const say = (user: TestUser, channelId: string, content: string) =>
      ok(user.api.post(`/channels/${channelId}/messages`, { content })).then((b) => b.message as { id: string });
    const react = (user: TestUser, messageId: string, reaction: string) =>
      ok(user.api.post(`/messages/${messageId}/reactions`, { reaction }));
    const reply = (user: TestUser, messageId: string, content: string) =>
      ok(user.api.post(`/messages/${messageId}/thread`, { content }));

    await say(admin, general.id, 'Welcome to **Acme Platform** 👋 — alerts land in #alerts, deploys in #deploys.');
    await say(maya, general.id, 'Standup moved to 10:30 today.');

    const ci = await given.webhook(admin, deploys.id, 'CI');
    const postAs = async (hook: { id: string; token: string }, body: unknown) => {
      const res = await fetch(`${server.baseUrl}/webhooks/${hook.id}/messages`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${hook.token}` },
        body: JSON.stringify(body),
      });
      if (res.status !== 200) throw new Error(`webhook post: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { message: { id: string } }).message;
    };
    await postAs(ci, { content: '✅ **v2.13.2** deployed to `production` (build #1419, 4 min 12 s)' });
    await say(li, deploys.id, 'Shipping v2.14.0 after lunch: new rate limiter on the gateway.');
    await postAs(ci, { content: '✅ **v2.14.0** deployed to `production` (build #1423, 3 min 58 s)' });
    await postAs(ci, { content: '↩️ **v2.13.2** redeployed to `production` (rollback by Maya Chen)' });

    const alertmanager = await given.webhook(admin, alerts.id, 'Alertmanager');
    await say(li, alerts.id, 'Heads-up: v2.14.0 is rolling out to eu-west-1 now.');
    const firing = await postAs(alertmanager, {
      username: 'Alertmanager',
      content: [
        '🔥 **[FIRING:1] HighLatency** · `api-gateway` · `critical`',
        '',
        'p99 latency is **1.8 s** in `eu-west-1` (threshold 500 ms) for the last 5 minutes.',
        '',
        '- instance: `gw-eu-2:8080`',
        '- started: 10:06 UTC',
        '',
        '[Runbook](https://runbooks.example.com/high-latency) · [Dashboard](https://grafana.example.com/d/api-gateway)',
      ].join('\n'),
    });
    await react(li, firing.id, '👀');
    await react(maya, firing.id, '👀');
    await reply(li, firing.id, 'Looking. It started right after the v2.14.0 rollout.');
    await reply(maya, firing.id, 'The new rate limiter takes a lock per request — rolling back to **v2.13.2**.');
    await reply(admin, firing.id, 'Thanks both. I will hold further deploys until the fix is reviewed.');

    const chart = await ok(
      li.api.post(`/channels/${alerts.id}/messages/image`, {
        filename: 'p99.png',
        image: (await latencyChart()).toString('base64'),
      }),
    );
    await ok(
      li.api.post(`/channels/${alerts.id}/messages`, {
        content: 'p99 from the dashboard: the spike lines up with the deploy, gone after the rollback.',
        images: [chart.filename],
      }),
    );
    const resolved = await postAs(alertmanager, {
      username: 'Alertmanager',
      content: '✅ **[RESOLVED] HighLatency** · `api-gateway`\n\np99 is back to **180 ms** in `eu-west-1`.',
    });
    await react(maya, resolved.id, '🎉');
    await react(li, resolved.id, '🎉');
    await react(admin, resolved.id, '🎉');
    await react(li, resolved.id, '👍');
    await say(maya, alerts.id, 'Post-mortem notes are in the doc — let us go through them at 15:00.');

    const dm = (await ok(maya.api.post('/conversations', { targetUserId: admin.id }))).conversation as { id: string };
    await ok(maya.api.post(`/conversations/${dm.id}/messages`, { content: 'Got a minute after the post-mortem?' }));
  }, 120_000);

  // Launched after the server is up: the page's host is mapped to its port.
  const { newPage } = useChromium({
    extraArgs: () =>
      server
        ? [
            `--host-resolver-rules=MAP ${HOST} ${new URL(server.baseUrl).host}`,
            `--unsafely-treat-insecure-origin-as-secure=${ORIGIN}`,
          ]
        : [],
  });

  afterAll(async () => {
    if (server) {
      server.child.kill('SIGTERM');
      await waitForExit(server.child);
    }
    await db?.drop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('captures the login screen', async () => {
    const page = await desktop();
    await page.goto(`${ORIGIN}/`);
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    await save(page, 'login.png');
  });

  it('captures a channel with a bot alert, Markdown, reactions, a thread and an image, light and dark', async () => {
    for (const [colorScheme, name] of [
      ['light', 'channel.png'],
      ['dark', 'channel-dark.png'],
    ] as const) {
      const page = await desktop({ colorScheme });
      await logIn(page);
      const log = await openAlerts(page);
      await log.getByText('BOT').first().waitFor();
      await log.getByRole('button', { name: '3 replies' }).waitFor();
      await save(page, name);
    }
  });

  it('captures the thread panel', async () => {
    const page = await desktop();
    await logIn(page);
    const log = await openAlerts(page);
    await log.getByRole('button', { name: '3 replies' }).click();
    await page.getByRole('complementary', { name: 'Thread' }).getByText('hold further deploys').waitFor();
    await save(page, 'thread.png');
  });

  it('captures a new webhook in the admin area, its token shown once', async () => {
    const page = await desktop();
    await logIn(page);
    await page.goto(`${ORIGIN}/#/admin/webhooks`);
    await page.getByRole('heading', { name: 'Webhooks', level: 3 }).waitFor();
    await page.getByRole('textbox', { name: 'Webhook name' }).fill('Grafana');
    await page.getByRole('combobox', { name: 'Channel' }).selectOption({ label: `#${alertsName}` });
    await page.getByRole('button', { name: 'Create webhook' }).click();
    const shown = page.getByRole('region', { name: /Grafana.*created/ });
    await shown.getByRole('textbox', { name: 'Token' }).waitFor();
    expect(await shown.getByRole('textbox', { name: 'Webhook URL' }).inputValue()).toContain(`${ORIGIN}/webhooks/`);
    await save(page, 'admin-webhooks.png');
  });

  it('captures an ephemeral room at /chat/<code>', async () => {
    const rooms = new ApiClient(server.baseUrl);
    const room = await rooms.post('/rooms', { name: 'Launch sync' });
    expect(room.status).toBe(200);
    const code = room.body.code as string;
    const post = (content: string, sender: string) => rooms.post(`/rooms/${code}/messages`, { content, sender });
    await post('Release branch is cut, QA starts at 14:00.', 'Priya');
    await post('Docs for the new export page are merged.', 'Tom');
    const hook = await rooms.post(`/rooms/${code}/webhooks`, { label: 'Deploy Bot' });
    expect(hook.status).toBe(200);
    expect(
      (await rooms.post(new URL(hook.body.url as string).pathname, { content: '✅ Staging build #88 passed' })).status,
    ).toBe(200);
    await post('Great, I will run the smoke tests on staging.', 'Priya');

    const page = await desktop();
    await page.goto(`${ORIGIN}/chat/${code}`);
    await join(page, 'Sam');
    const log = page.getByRole('log', { name: 'Launch sync' });
    await log.getByText('smoke tests').waitFor();
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill('Thanks all, see you at the launch 🚀');
    await box.press('Enter');
    await log.getByText('see you at the launch').waitFor();
    await save(page, 'room.png');
  });

  it('captures the channel at phone width', async () => {
    const page = await newPage({
      viewport: PHONE,
      deviceScaleFactor: 1,
      locale: 'en-US',
      timezoneId: 'UTC',
      isMobile: true,
      hasTouch: true,
    });
    await logIn(page);
    await openAlerts(page);
    await save(page, 'phone-channel.png');
  });

  it('wrote every screenshot as a PNG of its page size, and reports the first load of /', async () => {
    for (const [name, size] of Object.entries(SHOTS)) {
      const file = path.join(OUT, name);
      expect({ name, exists: fs.existsSync(file) }).toEqual({ name, exists: true });
      const bytes = fs.readFileSync(file);
      expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      const meta = await sharp(bytes).metadata();
      expect({ name, width: meta.width, height: meta.height }).toEqual({ name, ...size });
    }
    const build = buildWebForProduction();
    try {
      const sizes = firstLoadOfRoot(build.dir);
      expect(sizes.map((s) => s.role)).toEqual(expect.arrayContaining(['entry script', 'team chunk']));
      expect(sizes.every((s) => s.raw > 0 && s.gzip > 0)).toBe(true);
      process.stderr.write(`\nFirst load of / (npm run build:web, NODE_ENV=production):\n${formatSizes(sizes)}\n`);
    } finally {
      build.remove();
    }
  });
});
