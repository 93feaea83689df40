import { codeOf, connected, describeInChromium, join, say, showsGone, useChromium } from './support/chromium';
import { createTestApp, TestApp } from './support/test-app';

// A 1×1 PNG.
const PIXEL_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/**
 * The room page `/chat/:code` (PRODUCT.md §4b, §5) in Debian's Chromium, driven by playwright-core
 * through accessible names only — they are the page's contract (test/support/chromium.ts: never
 * downloads a browser; skipped without /usr/bin/chromium, a failure under CI=true).
 */
describeInChromium(__filename, 'room page in Chromium', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });
  const { newPage } = useChromium();

  it('serves the page with self-only CSP, nosniff, no-referrer, and hashed assets cached for a year', async () => {
    const page = await fetch(`${app.baseUrl}/chat/X7K9M2P`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("img-src 'self' data: blob:");
    expect(csp).not.toContain('unsafe');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');

    const script = /<script[^>]+src="(\/assets\/[^"]+\.js)"/.exec(await page.text())?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(app.baseUrl + script!);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('javascript');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await fetch(`${app.baseUrl}/assets/nope-123.js`)).status).toBe(404);
  });

  it('shows the gone screen, with no composer, for an unknown code', async () => {
    const page = await newPage();
    await page.goto(`${app.baseUrl}/chat/ZZZZZZZ`);
    await showsGone(page);
    expect(await page.getByRole('textbox', { name: 'Your name' }).count()).toBe(0);
  });

  it('creates a room from /chat, joins, and lives through posts, commands, files, presence and /destroy', async () => {
    // The tiny home creates the room and hands the admin token over in the fragment, then the
    // room page takes it out of the address bar: what a visitor copies is a plain invite.
    const ann = await newPage();
    await ann.goto(`${app.baseUrl}/chat`);
    await ann.getByRole('textbox', { name: 'Room name (optional)' }).fill('Launch sync');
    await ann.getByRole('button', { name: 'Create room' }).click();
    await ann.getByRole('textbox', { name: 'Your name' }).waitFor();
    expect(ann.url()).toMatch(/\/chat\/[A-Z0-9]{7}$/);
    const code = codeOf(ann);
    await ann.getByRole('heading', { name: 'Launch sync' }).waitFor();
    await join(ann, 'Ann');
    await ann.getByRole('log', { name: 'Launch sync' }).waitFor();
    expect(await ann.evaluate('localStorage.getItem("parley.rooms.name")')).toBe('Ann');
    const invite = await ann.getByRole('textbox', { name: 'Invite link' }).inputValue();
    expect(invite).toBe(`${app.baseUrl}/chat/${code}`);
    const log = ann.getByRole('log');

    // A webhook post arrives live.
    const hook = (await app.api.post(`/rooms/${code}/webhooks`, { label: 'Deploy Bot' })).body;
    const posted = await fetch(hook.url.replace(/^https?:\/\/[^/]+/, app.baseUrl), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ content: '✅ Build #1423 passed' }),
    });
    expect(posted.status).toBe(200);
    await log.getByText('✅ Build #1423 passed').waitFor();
    await log.getByText('Deploy Bot').waitFor();

    // Enter sends; markup stays text.
    const markup = 'hello <b>there</b> <img src=x onerror="document.title=1">';
    await say(ann, markup);
    await log.getByText(markup, { exact: true }).waitFor();
    expect(await log.locator('b').count()).toBe(0);
    expect(await log.locator('img[src="x"]').count()).toBe(0);
    expect(await ann.getByRole('textbox', { name: 'Message' }).inputValue()).toBe('');

    // Shift+Enter breaks the line instead.
    const box = ann.getByRole('textbox', { name: 'Message' });
    await box.fill('line one');
    await box.press('Shift+Enter');
    await box.pressSequentially('line two');
    await box.press('Enter');
    await log.getByText('line two').waitFor();
    const stored = (await app.api.get(`/rooms/${code}/messages`)).body as { sender: string; content: string }[];
    expect(stored.at(-1)).toMatchObject({ sender: 'Ann', content: 'line one\nline two' });

    // `/help` shows what the server answers: its command list (or, while the registry has no
    // /help, its unknown-command answer, which lists the commands too).
    const help = await app.api.post(`/rooms/${code}/commands`, { command: '/help' });
    await say(ann, '/help');
    const expected: string[] =
      help.status === 200 ? help.body.commands.map((c: { usage: string }) => c.usage) : ['/destroy'];
    for (const usage of expected) await log.getByText(usage).first().waitFor();

    // Files: an image shows inline, anything else as a link.
    await ann.getByLabel('Attach file').setInputFiles({ name: 'pixel.png', mimeType: 'image/png', buffer: PIXEL_PNG });
    const image = log.getByRole('img', { name: 'pixel.png' });
    await image.waitFor();
    await ann.waitForFunction((img: any) => img.complete && img.naturalWidth === 1, await image.elementHandle());
    await ann.getByLabel('Attach file').setInputFiles({
      name: 'build.log',
      mimeType: 'text/plain',
      buffer: Buffer.from('step 1 ok\n'),
    });
    const link = log.getByRole('link', { name: 'build.log' });
    await link.waitFor();
    expect(await link.getAttribute('href')).toMatch(new RegExp(`^/rooms/${code}/files/[0-9a-f]+\\.txt$`));

    // A second visitor, in another browser profile, on a phone: presence both ways, the history.
    const bob = await newPage({ viewport: { width: 390, height: 844 } });
    await bob.goto(invite);
    await join(bob, 'Bob');
    await ann.getByRole('list', { name: 'People here' }).getByText('Bob').waitFor();
    await bob.getByRole('list', { name: 'People here' }).getByText('Ann').waitFor();
    await bob.getByRole('log').getByText('✅ Build #1423 passed').waitFor();
    await bob.getByRole('log').getByRole('img', { name: 'pixel.png' }).waitFor();

    // Bob has no admin token: /destroy is refused, the room lives on.
    await say(bob, '/destroy');
    await bob.getByRole('log').locator('.notice-error').waitFor();
    expect((await app.api.get(`/rooms/${code}`)).status).toBe(200);

    // A rename reaches both pages live.
    await fetch(`${app.baseUrl}/rooms/${code}/rename`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'name=Deploy+log',
    });
    await ann.getByRole('heading', { name: 'Deploy log' }).waitFor();
    await bob.getByRole('log', { name: 'Deploy log' }).waitFor();

    // Ann created the room in this browser: her /destroy ends it for everyone.
    await say(ann, '/destroy');
    await showsGone(ann);
    await showsGone(bob);
    expect((await app.api.get(`/rooms/${code}`)).status).toBe(404);
  });

  it('remembers the name, takes the admin token from the fragment, and shows gone when the API destroys the room', async () => {
    const room = (await app.api.post('/rooms')).body as { code: string; admin_token: string };
    const page = await newPage();
    await page.goto(`${app.baseUrl}/chat`);
    await page.evaluate('localStorage.setItem("parley.rooms.name", "Cleo")');
    await page.goto(`${app.baseUrl}/chat/${room.code}#admin=${room.admin_token}`);
    expect(await page.getByRole('textbox', { name: 'Your name' }).inputValue()).toBe('Cleo');
    expect(page.url()).toBe(`${app.baseUrl}/chat/${room.code}`);
    await page.getByRole('button', { name: 'Join' }).click();
    await connected(page);
    await page.getByRole('log', { name: 'Messages' }).waitFor();
    await page.getByText('room admin').waitFor();

    // The room ends through the API: the page hears `destroyed`.
    const destroyed = await app.api.delete(`/rooms/${room.code}`, undefined, { 'X-Admin-Token': room.admin_token });
    expect(destroyed.status).toBe(200);
    await showsGone(page);
    // Reloading a gone room stays gone.
    await page.reload();
    await showsGone(page);
  });
});
