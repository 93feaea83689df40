import { Given, TestUser } from '@parley/testing';
import { BrowserContext, Locator, Page } from 'playwright-core';
import { connected, describeInChromium, useChromium, logInOnTeamPage, waitInPage } from './support/chromium';
import { createTestApp, TestApp } from './support/test-app';

/**
 * The team page's finish (PRODUCT.md §4b "fast, clear, keyboard-friendly") in Debian's Chromium:
 * history that loads itself going up without moving the reader, new messages that never move a
 * reader up in history, quick reconnects and RESYNC, the top bar's workspace switcher and name,
 * and a keyboard-only flow.
 */
describeInChromium(__filename, 'team web UI polish in Chromium', () => {
  let app: TestApp;
  let given: Given;
  let admin: TestUser;

  beforeAll(async () => {
    app = await createTestApp();
    given = new Given(app.api);
    admin = await given.admin();
  });
  afterAll(async () => {
    await app?.close();
  });
  const { newPage } = useChromium();

  /** Logs in by e-mail (dev mode), choosing the first workspace if asked, and waits for the stream. */
  const logIn = async (email: string, prepare?: (page: Page) => Promise<void>): Promise<Page> => {
    const page = await newPage({ viewport: { width: 1000, height: 700 } });
    await prepare?.(page);
    await logInOnTeamPage(page, app.baseUrl, email);
    return page;
  };
  const openChannel = async (page: Page, name: string): Promise<Locator> => {
    await page
      .getByRole('navigation', { name: 'Channels' })
      .getByRole('link', { name: `# ${name}` })
      .click();
    return page.getByRole('log', { name });
  };
  const postMany = async (channelId: string, count: number, prefix = 'message') => {
    for (let n = 1; n <= count; n++) {
      expect((await admin.api.post(`/channels/${channelId}/messages`, { content: `${prefix} ${n}` })).status).toBe(200);
    }
  };
  const line = (log: Locator, text: string) => log.getByText(text, { exact: true });
  /** Where the log is scrolled: its scrollTop and how far its bottom edge is from the end. */
  const scroll = (log: Locator) =>
    log.evaluate((el) => ({ top: el.scrollTop, fromBottom: el.scrollHeight - el.scrollTop - el.clientHeight }));
  /** A message's top edge, relative to the log's top edge (what the reader sees move, or not). */
  const offsetOf = (log: Locator, text: string) =>
    line(log, text).evaluate(
      (el) => el.getBoundingClientRect().top - el.closest('[role="log"]')!.getBoundingClientRect().top,
    );
  /** The focused element's accessible label (aria-label, else its text) and tag. */
  const focused = (page: Page) =>
    page.evaluate<{ label: string; tag: string }>(`(() => {
      const el = document.activeElement;
      return { label: el?.getAttribute('aria-label') ?? el?.textContent?.trim() ?? '', tag: el?.tagName ?? '' };
    })()`);
  const hasFocus = (locator: Locator) => locator.evaluate((el) => el === el.ownerDocument.activeElement);

  it('goes back through history by itself at the top, keeping the reader in place', async () => {
    const channel = await given.channel(admin, 'history');
    await postMany(channel.id, 120);
    const carol = await given.member(admin);
    const page = await logIn(carol.email);
    expect(await page.getByRole('combobox', { name: 'Workspace' }).count()).toBe(0); // one workspace: no switcher
    const log = await openChannel(page, 'history');
    await line(log, 'message 120').waitFor();
    expect((await scroll(log)).fromBottom).toBeLessThan(2); // opens at the newest
    expect(await line(log, 'message 70').count()).toBe(0);

    await log.evaluate((el) => (el.scrollTop = 0));
    await line(log, 'message 21').waitFor();
    // The message that was at the top (71) is still where the reader left it, near the top (under
    // the "Load older messages" button), not pushed 50 messages down.
    expect(await offsetOf(log, 'message 71')).toBeGreaterThan(0);
    expect(await offsetOf(log, 'message 71')).toBeLessThan(150);
    expect((await scroll(log)).fromBottom).toBeGreaterThan(1000);

    await log.evaluate((el) => (el.scrollTop = 0));
    await line(log, 'message 1').waitFor();
    expect(await offsetOf(log, 'message 21')).toBeGreaterThan(0);
    expect(await offsetOf(log, 'message 21')).toBeLessThan(150);
    expect((await scroll(log)).fromBottom).toBeGreaterThan(1000);
    await log.getByRole('button', { name: 'Load older messages' }).waitFor({ state: 'detached' });
    expect(await log.getByRole('article').count()).toBe(120);
  });

  it('keeps a long channel to a window of 200 messages in the page, moving with the reader both ways', async () => {
    const channel = await given.channel(admin, 'long');
    for (let n = 1; n <= 450; n += 50) {
      const batch = Array.from({ length: 50 }, (_, i) => `line ${n + i}`);
      for (const content of batch) await admin.api.post(`/channels/${channel.id}/messages`, { content });
    }
    const erin = await given.member(admin);
    const page = await logIn(erin.email);
    const log = await openChannel(page, 'long');
    await line(log, 'line 450').waitFor();
    const articles = log.getByRole('article');
    const topText = () => articles.first().locator('.team-content').textContent();

    // Up to the first message: the window moves up a step at a time, the reader staying in place.
    let steps = 0;
    while ((await topText()) !== 'line 1') {
      const top = (await topText())!;
      await log.evaluate((el) => (el.scrollTop = 0));
      for (let wait = 0; wait < 100 && (await topText()) === top; wait++) await page.waitForTimeout(50);
      expect(await topText()).not.toBe(top);
      // The message that was at the top is still near the top, not pushed a step down.
      expect(await offsetOf(log, top)).toBeGreaterThan(0);
      expect(await offsetOf(log, top)).toBeLessThan(150);
      expect(await articles.count()).toBeLessThanOrEqual(200);
      steps++;
    }
    expect(steps).toBeGreaterThanOrEqual(8);
    expect(await line(log, 'line 450').count()).toBe(0);
    // The last page was a full one: one more look at the top finds nothing older.
    await log.evaluate((el) => (el.scrollTop = 0));
    await log.getByRole('button', { name: 'Load older messages' }).waitFor({ state: 'detached' });

    // A message arriving meanwhile is not in the window; "New messages" says so and goes there.
    await admin.api.post(`/channels/${channel.id}/messages`, { content: 'arrives while up' });
    const jump = page.getByRole('button', { name: 'New messages' });
    await jump.waitFor();
    expect(await line(log, 'arrives while up').count()).toBe(0);
    expect(await offsetOf(log, 'line 1')).toBeGreaterThan(0);
    await jump.click();
    await line(log, 'arrives while up').waitFor();
    expect((await scroll(log)).fromBottom).toBeLessThan(2);
    expect(await articles.count()).toBeLessThanOrEqual(200);

    // Back up, then down again by scrolling: the window follows to the newest, and new messages show again.
    while ((await line(log, 'line 100').count()) === 0) {
      await log.evaluate((el) => (el.scrollTop = 0));
      await page.waitForTimeout(100);
    }
    const newer = log.getByRole('button', { name: 'Load newer messages' });
    await newer.waitFor();
    while ((await newer.count()) > 0) {
      const bottom = await articles.last().locator('.team-content').textContent();
      await log.evaluate((el) => (el.scrollTop = el.scrollHeight - el.clientHeight));
      await page.waitForTimeout(100);
      if ((await newer.count()) > 0) {
        // The message that was at the bottom did not jump as the window dropped messages above.
        expect(await offsetOf(log, bottom!)).toBeLessThan(800);
      }
    }
    await line(log, 'arrives while up').waitFor();
    await log.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await page.waitForTimeout(200); // the scroll event
    await admin.api.post(`/channels/${channel.id}/messages`, { content: 'arrives at the bottom again' });
    await line(log, 'arrives at the bottom again').waitFor();
    expect((await scroll(log)).fromBottom).toBeLessThan(2);
    expect(await articles.count()).toBeLessThanOrEqual(200);
  });

  it('keeps a reader at the bottom after reading back to a history of whole pages (the last read finds nothing)', async () => {
    const channel = await given.channel(admin, 'whole-pages');
    await postMany(channel.id, 100);
    const page = await logIn(admin.email);
    const log = await openChannel(page, 'whole-pages');
    await line(log, 'message 100').waitFor();
    const older = log.getByRole('button', { name: 'Load older messages' });
    while ((await older.count()) > 0) {
      await log.evaluate((el) => (el.scrollTop = 0));
      await page.waitForTimeout(150);
    }
    await line(log, 'message 1').waitFor();
    await log.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await page.waitForTimeout(200); // the scroll event
    await admin.api.post(`/channels/${channel.id}/messages`, { content: 'arrives at the bottom' });
    await line(log, 'arrives at the bottom').waitFor();
    expect((await scroll(log)).fromBottom).toBeLessThan(2);
  });

  it('reads a long thread back page by page with "Load older replies"', async () => {
    const channel = await given.channel(admin, 'long-thread');
    const parentId = (await admin.api.post(`/channels/${channel.id}/messages`, { content: 'the parent' })).body.message
      .id as string;
    for (let n = 1; n <= 205; n++) {
      expect((await admin.api.post(`/messages/${parentId}/thread`, { content: `reply ${n}` })).status).toBe(200);
    }
    const page = await logIn(admin.email);
    const log = await openChannel(page, 'long-thread');
    await log.getByRole('button', { name: '205 replies' }).click();
    const replies = page.getByRole('complementary', { name: 'Thread' }).getByRole('log', { name: 'Replies' });
    await line(replies, 'reply 205').waitFor();
    expect(await line(replies, 'reply 5').count()).toBe(0); // the newest 200: 6…205
    const older = replies.getByRole('button', { name: 'Load older replies' });
    await older.click();
    await line(replies, 'reply 1').waitFor({ state: 'attached' });
    await older.waitFor({ state: 'detached' });
    expect(await replies.getByRole('article').count()).toBe(205);
    // The reader stays where they were (by reply 6, the oldest before), the older ones above, out of view.
    const inView = (text: string) =>
      line(replies, text).evaluate((el) => {
        const box = el.getBoundingClientRect();
        const panel = el.closest('.team-thread-body')!.getBoundingClientRect();
        return box.bottom > panel.top && box.top < panel.bottom;
      });
    expect(await inView('reply 6')).toBe(true);
    expect(await inView('reply 1')).toBe(false);
  });

  it('leaves a reader up in history where they are when messages arrive, with "New messages" to jump down', async () => {
    const channel = await given.channel(admin, 'busy');
    await postMany(channel.id, 40);
    const dan = await given.member(admin);
    const page = await logIn(dan.email);
    const log = await openChannel(page, 'busy');
    await line(log, 'message 40').waitFor();

    // At the bottom: a new message keeps the reader at the bottom.
    await admin.api.post(`/channels/${channel.id}/messages`, { content: 'arrives at the bottom' });
    await line(log, 'arrives at the bottom').waitFor();
    expect((await scroll(log)).fromBottom).toBeLessThan(2);
    expect(await page.getByRole('button', { name: 'New messages' }).count()).toBe(0);

    // Up in history: nothing moves, a "New messages" button appears instead.
    await line(log, 'message 15').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.waitForTimeout(200); // the scroll event
    const before = await offsetOf(log, 'message 15');
    const scrolled = await scroll(log);
    for (const n of [1, 2, 3]) await admin.api.post(`/channels/${channel.id}/messages`, { content: `later ${n}` });
    await line(log, 'later 3').waitFor({ state: 'attached' });
    const jump = page.getByRole('button', { name: 'New messages' });
    await jump.waitFor();
    expect(await offsetOf(log, 'message 15')).toBe(before);
    expect((await scroll(log)).top).toBe(scrolled.top);

    await jump.click();
    await jump.waitFor({ state: 'detached' });
    expect((await scroll(log)).fromBottom).toBeLessThan(2);
    expect(await line(log, 'later 3').isVisible()).toBe(true);

    // Sending one's own message from up in history brings the reader down to it.
    await line(log, 'message 15').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.waitForTimeout(200);
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill('my own');
    await box.press('Enter');
    await log.getByRole('article').filter({ hasText: 'my own' }).getByRole('button', { name: 'Edit' }).waitFor();
    expect((await scroll(log)).fromBottom).toBeLessThan(2);
  });

  it('reconnects at once when the tab comes back online, and refetches what is shown after a RESYNC', async () => {
    const channel = await given.channel(admin, 'resync');
    await postMany(channel.id, 3, 'kept');
    const gone = (await admin.api.post(`/channels/${channel.id}/messages`, { content: 'deleted meanwhile' })).body
      .message as { id: string };
    const erin = await given.member(admin);
    // The test's handle on the page's stream, to cut it as a network drop would.
    const page = await logIn(erin.email, async (p) => {
      await p.addInitScript(`{
        const Native = window.EventSource;
        window.sources = [];
        window.EventSource = class extends Native {
          constructor(url, init) {
            super(url, init);
            window.sources.push(this);
          }
        };
      }`);
    });
    const log = await openChannel(page, 'resync');
    await line(log, 'deleted meanwhile').waitFor();
    const context: BrowserContext = page.context();
    const status = page.getByRole('status', { name: 'Connection' });

    const cut = () => page.evaluate(`window.sources.at(-1).dispatchEvent(new Event('error'))`);

    // Offline long enough for the backoff to reach its cap (5 s); online again reconnects at once,
    // and the resumed stream brings what was posted meanwhile.
    await context.setOffline(true);
    await cut();
    await status.filter({ hasText: 'Reconnecting…' }).waitFor();
    await page.waitForTimeout(9_000); // retries at 0.5, 1.5, 3.5, 8.5, 13.5 s…: the next is 4 s away
    await admin.api.post(`/channels/${channel.id}/messages`, { content: 'while offline' });
    const back = Date.now();
    await context.setOffline(false);
    await status.filter({ hasText: /^Connected$/ }).waitFor({ timeout: 2_000 });
    expect(Date.now() - back).toBeLessThan(2_000);
    await line(log, 'while offline').waitFor();

    // Cut again; the next stream resumes from a position the server does not know, so it answers
    // RESYNC (after waiting for it up to 3 s), and the page refetches the open conversation.
    await context.setOffline(true);
    await cut();
    await status.filter({ hasText: 'Reconnecting…' }).waitFor();
    expect((await admin.api.post(`/channels/${channel.id}/messages`, { content: 'posted meanwhile' })).status).toBe(
      200,
    );
    expect((await admin.api.delete(`/messages/${gone.id}`)).status).toBe(200);
    await page.route('**/events?*', (route) => {
      const url = new URL(route.request().url());
      if (url.searchParams.has('lastEventId')) url.searchParams.set('lastEventId', '999999999999');
      return route.continue({ url: url.toString() });
    });
    await context.setOffline(false);
    await line(log, 'posted meanwhile').waitFor();
    await line(log, 'deleted meanwhile').waitFor({ state: 'detached' });
    expect(await line(log, 'kept 1').count()).toBe(1);
    expect(await line(log, 'posted meanwhile').count()).toBe(1);
    expect(await line(log, 'while offline').count()).toBe(1);
  });

  it('switches workspace from the top bar for a member of two', async () => {
    const frank = await given.member(admin);
    const created = await frank.api.post('/workspaces', { name: 'Frank Side' });
    expect(created.status).toBe(200);
    const page = await logIn(frank.email);
    const switcher = page.getByRole('combobox', { name: 'Workspace' });
    expect(await switcher.inputValue()).toBe(frank.workspace.slug);
    expect(await switcher.getByRole('option').allTextContents()).toEqual(expect.arrayContaining(['Frank Side']));

    await switcher.selectOption({ label: 'Frank Side' });
    await page.locator('.team-workspace').filter({ hasText: 'Frank Side' }).waitFor();
    await connected(page);
    expect(await page.getByRole('combobox', { name: 'Workspace' }).inputValue()).toBe(created.body.workspace.slug);
    await page.getByRole('navigation', { name: 'Channels' }).getByRole('link', { name: '# general' }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Channels' }).getByRole('link').count()).toBe(1);
  });

  it('works from the keyboard alone: skip link, send, thread and back, Alt+arrows between conversations', async () => {
    const first = await given.channel(admin, 'keys-a');
    await given.channel(admin, 'keys-b');
    await admin.api.post(`/channels/${first.id}/messages`, { content: 'hello keyboard' });
    const gus = await given.member(admin);
    const page = await logIn(gus.email);
    let log = await openChannel(page, 'keys-a');
    await line(log, 'hello keyboard').waitFor();
    await page.reload(); // from here on, the keyboard only
    await connected(page);
    log = page.getByRole('log', { name: 'keys-a' });
    await line(log, 'hello keyboard').waitFor();

    // The first Tab stop is "Skip to messages", which lands on the log.
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ label: 'Skip to messages', tag: 'A' });
    await page.keyboard.press('Enter');
    expect(await focused(page)).toMatchObject({ label: 'keys-a' });

    // Tab on to "Message", type, Enter: sent, and the focus stays in "Message".
    for (let i = 0; i < 30 && (await focused(page)).label !== 'Message'; i++) await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ label: 'Message' });
    await page.keyboard.type('sent by keys');
    await page.keyboard.press('Enter');
    const mine = log.getByRole('article').filter({ hasText: 'sent by keys' });
    await mine.getByRole('button', { name: 'Edit' }).waitFor();
    expect(await focused(page)).toMatchObject({ label: 'Message' });

    // Back to the message's "Reply in thread", Enter opens the Thread with the focus in "Reply",
    // Escape closes it and gives the focus back to the button.
    const open = mine.getByRole('button', { name: 'Reply in thread' });
    for (let i = 0; i < 30 && !(await hasFocus(open)); i++) {
      await page.keyboard.press('Shift+Tab');
    }
    expect(await hasFocus(open)).toBe(true);
    await page.keyboard.press('Enter');
    const thread = page.getByRole('complementary', { name: 'Thread' });
    await thread.waitFor();
    expect(await focused(page)).toMatchObject({ label: 'Reply' });
    await page.keyboard.type('a keyed reply');
    await page.keyboard.press('Enter');
    await thread.getByRole('log', { name: 'Replies' }).getByText('a keyed reply').waitFor();
    expect(await focused(page)).toMatchObject({ label: 'Reply' });
    await page.keyboard.press('Escape');
    await thread.waitFor({ state: 'detached' });
    const count = mine.getByRole('button', { name: '1 reply' });
    await waitInPage(page, `document.activeElement?.textContent === '1 reply'`);
    expect(await hasFocus(count)).toBe(true);

    // Alt+ArrowDown / Alt+ArrowUp: the next / previous conversation of "Channels", focus in "Message".
    const nav = page.getByRole('navigation', { name: 'Channels' });
    await page.keyboard.press('Alt+ArrowDown');
    await nav.getByRole('link', { name: '# keys-b' }).and(page.locator('[aria-current="page"]')).waitFor();
    await page.getByRole('log', { name: 'keys-b' }).waitFor();
    expect(await focused(page)).toMatchObject({ label: 'Message' });
    await page.keyboard.press('Alt+ArrowUp');
    await nav.getByRole('link', { name: '# keys-a' }).and(page.locator('[aria-current="page"]')).waitFor();
  });

  it('shows the name set in Admin → Settings in the top bar, live', async () => {
    const hal = await given.member(admin);
    const page = await logIn(hal.email);
    const name = page.locator('.team-workspace');
    await name.filter({ hasText: /^Parley$/ }).waitFor();
    expect((await admin.api.put('/server/settings', { name: 'Renamed Co' })).status).toBe(200);
    await name.filter({ hasText: /^Renamed Co$/ }).waitFor();
    await page.reload();
    await name.filter({ hasText: /^Renamed Co$/ }).waitFor();
  });
});
