import { Page } from 'playwright-core';
import { sha256 } from '@parley/crypto';
import { RoomPresence } from '../apps/api/src/rooms/room-presence';
import { connected, describeInChromium, join, say, useChromium, waitInPage } from './support/chromium';
import { CreatedRoom, withPg } from './support/rooms';
import { createTestApp, TestApp } from './support/test-app';

/**
 * Moderation on the room page `/chat/:code` (docs/decisions/0007 § Commands, 0008): the room's
 * admin (who opened the `#admin=<token>` link) and a visitor, each in their own browser profile;
 * the admin's slash commands typed in the composer, what the visitor's page shows, and the session
 * id the page keeps per room so a reload is the same visitor to moderation.
 */
describeInChromium(__filename, 'room moderation on the room page in Chromium', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });
  const { newPage } = useChromium();

  const ADMIN = 'Mod';
  const VISITOR = 'Vic Vega';

  /** A room through the API, its admin's page (from the fragment link) and a visitor's page, both connected. */
  const openRoom = async (): Promise<{ room: CreatedRoom; admin: Page; visitor: Page }> => {
    const room = (await app.api.post('/rooms')).body as CreatedRoom;
    const admin = await newPage();
    await admin.goto(`${app.baseUrl}/chat/${room.code}#admin=${room.admin_token}`);
    await join(admin, ADMIN);
    await admin.getByText('room admin').waitFor();
    const visitor = await newPage();
    await visitor.goto(`${app.baseUrl}/chat/${room.code}`);
    await join(visitor, VISITOR);
    await here(admin, VISITOR).waitFor();
    return { room, admin, visitor };
  };

  const here = (page: Page, name: string) =>
    page.getByRole('list', { name: 'People here' }).getByText(name, { exact: true });
  const status = (page: Page) => page.getByRole('status', { name: 'Connection' });
  const exactly = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  /** A line of a notice ("only you see this") titled `title`, in the page's log. */
  const notice = (page: Page, title: string, line: string | RegExp, tone: 'info' | 'error') =>
    page
      .getByRole('log')
      .locator(`.notice-${tone}`)
      .filter({ has: page.locator('.sender', { hasText: exactly(title) }) })
      .locator('.notice-lines > li')
      .filter({ hasText: typeof line === 'string' ? exactly(line) : line });
  /** The composer's error line (role `alert`) under "Message". */
  const composerError = (page: Page, text: RegExp) =>
    page.locator('.composer').getByRole('alert').filter({ hasText: text });
  /** Says `text` and waits for the composer to take it (the box empties once the server accepted it). */
  const post = async (page: Page, text: string): Promise<void> => {
    await say(page, text);
    const box = page.getByRole('textbox', { name: 'Message' });
    await page.waitForFunction((el) => (el as { value: string }).value === '', await box.elementHandle());
  };

  /** Let go by the server: "Disconnected" with "Reconnect", and nothing can be sent. */
  const disconnected = async (page: Page): Promise<void> => {
    await status(page)
      .filter({ hasText: /^Disconnected/ })
      .waitFor();
    await status(page).getByRole('button', { name: 'Reconnect' }).waitFor();
    expect(await page.getByRole('button', { name: 'Send' }).isDisabled()).toBe(true);
  };
  /** Reloads and presses "Join" with the remembered name (or `name`), without waiting to be let in. */
  const reloadAndJoin = async (page: Page, name?: string): Promise<void> => {
    await page.reload();
    const box = page.getByRole('textbox', { name: 'Your name' });
    if (name === undefined) expect(await box.inputValue()).toBe(VISITOR);
    else await box.fill(name);
    await page.getByRole('button', { name: 'Join' }).click();
  };
  const refusedAsBanned = async (page: Page): Promise<void> => {
    await notice(page, 'Banned', 'You are banned from this room.', 'error').waitFor();
    await disconnected(page);
  };

  /** The session id the page stored from the server's `session` event (its `localStorage`, per room). */
  const storedSession = async (page: Page, code: string): Promise<string> => {
    // Evaluated in the page (strings: the tests are type-checked without the DOM's types).
    const read = `localStorage.getItem(${JSON.stringify(`parley.rooms.session.${code}`)})`;
    await waitInPage(page, `${read} !== null`);
    return await page.evaluate<string>(read);
  };
  /**
   * The sessions the server has for the sockets of that name in the room (its presence keeps them
   * as SHA-256, so a stored session is compared by its hash: `hashed`).
   */
  const serverSessions = async (code: string, name: string): Promise<string[]> => {
    const room = await withPg(app.db.url, async (pg) => {
      const found = await pg.query<{ id: string }>('SELECT id::text FROM ephemeral_rooms WHERE code = $1', [code]);
      return { id: found.rows[0].id, code };
    });
    return (await app.server.app.get(RoomPresence).find(room, name)).map((p) => p.sessionHash.toString('hex'));
  };
  const hashed = (session: string): string => sha256(session).toString('hex');
  const postedBy = async (code: string, sender: string): Promise<string[]> =>
    ((await app.api.get(`/rooms/${code}/messages`)).body as { sender: string; content: string }[])
      .filter((m) => m.sender === sender)
      .map((m) => m.content);

  it('/kick: the visitor is told and let go, does not come back by itself, and a reload rejoins as the same session', async () => {
    const { room, admin, visitor } = await openRoom();
    const session = await storedSession(visitor, room.code);
    expect(session).toMatch(/^[\w-]{43}$/);
    expect(await serverSessions(room.code, VISITOR)).toEqual([hashed(session)]);

    // Moderation needs the admin token: the visitor's /kick is refused and changes nothing.
    await post(visitor, `/kick @${ADMIN}`);
    await notice(visitor, '/kick', /X-Admin-Token/, 'error').waitFor();
    await post(visitor, 'still here');
    await admin.getByRole('log').getByText('still here').waitFor();

    // The target is the rest of the line, case-insensitive.
    await post(admin, '/kick @vic vega');
    await notice(admin, '/kick', `kicked: ${VISITOR}`, 'info').waitFor();
    await notice(visitor, 'Removed', 'A moderator removed you from the room. Reload to rejoin.', 'error').waitFor();
    await disconnected(visitor);
    await here(admin, VISITOR).waitFor({ state: 'detached' });

    // A server disconnect: Socket.IO does not retry (its first retry would come within 1.5 s).
    await visitor.waitForTimeout(1_500);
    await disconnected(visitor);
    expect(await serverSessions(room.code, VISITOR)).toEqual([]);

    // "They may rejoin": a reload and Join, under the session the page kept.
    await reloadAndJoin(visitor);
    await connected(visitor);
    await here(admin, VISITOR).waitFor();
    expect(await storedSession(visitor, room.code)).toBe(session);
    expect(new Set(await serverSessions(room.code, VISITOR))).toEqual(new Set([hashed(session)]));
    await post(visitor, 'back again');
    await admin.getByRole('log').getByText('back again').waitFor();
  });

  it('/ban: the visitor is told and let go; no reload gets back in under the same session or the same name', async () => {
    const { room, admin, visitor } = await openRoom();
    const session = await storedSession(visitor, room.code);

    // A reload keeps the session: the page presents it as `auth.session` and the server keeps it.
    await reloadAndJoin(visitor);
    await connected(visitor);
    await here(admin, VISITOR).waitFor();
    expect(await storedSession(visitor, room.code)).toBe(session);
    expect(new Set(await serverSessions(room.code, VISITOR))).toEqual(new Set([hashed(session)]));

    await post(admin, `/ban @${VISITOR}`);
    await notice(admin, '/ban', `banned: ${VISITOR}`, 'info').waitFor();
    await notice(visitor, 'Banned', 'A moderator banned you from this room.', 'error').waitFor();
    await disconnected(visitor);
    await here(admin, VISITOR).waitFor({ state: 'detached' });

    // Same session, same name.
    await reloadAndJoin(visitor);
    await refusedAsBanned(visitor);
    // Same session under another name: the session the page kept across the reload is banned.
    await reloadAndJoin(visitor, 'Somebody Else');
    await refusedAsBanned(visitor);
    expect(await storedSession(visitor, room.code)).toBe(session);
    // Another browser (a new session) under the same name, in other letters' case: the name is banned.
    const sameName = await newPage();
    await sameName.goto(`${app.baseUrl}/chat/${room.code}`);
    await sameName.getByRole('textbox', { name: 'Your name' }).fill('VIC VEGA');
    await sameName.getByRole('button', { name: 'Join' }).click();
    await refusedAsBanned(sameName);
    expect(await serverSessions(room.code, VISITOR)).toEqual([]);
    expect(await serverSessions(room.code, 'Somebody Else')).toEqual([]);

    // The stated limit (0007 § ban limits): a new browser with a new name gets in; it is not an IP ban.
    const stranger = await newPage();
    await stranger.goto(`${app.baseUrl}/chat/${room.code}`);
    await join(stranger, 'Walt');
    await here(admin, 'Walt').waitFor();
    expect(await serverSessions(room.code, 'Walt')).not.toContain(hashed(session));

    // The admin is never refused and keeps the room going.
    await post(admin, 'order restored');
    await stranger.getByRole('log').getByText('order restored').waitFor();
  });

  it('/mute: the visitor’s posts, /me included, are refused with a visible reason; the admin still speaks', async () => {
    const { room, admin, visitor } = await openRoom();

    // A bare number is minutes (`30s` would be seconds).
    await post(admin, `/mute @${VISITOR} 30`);
    await notice(admin, '/mute', `muted: ${VISITOR}`, 'info').waitFor();
    await notice(admin, '/mute', 'seconds: 1800', 'info').waitFor();

    await say(visitor, 'can I still talk?');
    await composerError(visitor, /^You are muted in this room for (1800|1799|1798) more seconds$/).waitFor();
    // Refused, not lost: the text stays in the box to send later.
    expect(await visitor.getByRole('textbox', { name: 'Message' }).inputValue()).toBe('can I still talk?');
    await post(visitor, '/me waves');
    await notice(visitor, '/me', /^You are muted in this room for \d+ more seconds$/, 'error').waitFor();

    await post(admin, 'the admin is not muted');
    await visitor.getByRole('log').getByText('the admin is not muted').waitFor();
    expect(await postedBy(room.code, VISITOR)).toEqual([]);
    // Muted, still here and still hearing the room.
    await connected(visitor);
    await here(admin, VISITOR).waitFor();
  });

  it('/slowmode: a visitor’s second quick post is refused with a visible reason; admins are exempt; 0 lifts it', async () => {
    const { room, admin, visitor } = await openRoom();

    await post(admin, '/slowmode 5');
    await notice(admin, '/slowmode', 'slowmode: 5', 'info').waitFor();

    await post(visitor, 'first');
    await admin.getByRole('log').getByText('first', { exact: true }).waitFor();
    await say(visitor, 'second');
    await composerError(visitor, /^Slow mode is on: one post every 5 seconds; retry in [1-5] s$/).waitFor();
    expect(await visitor.getByRole('textbox', { name: 'Message' }).inputValue()).toBe('second');
    expect(await postedBy(room.code, VISITOR)).toEqual(['first']);

    // The admin's page is exempt: two quick posts both go out.
    await post(admin, 'admin one');
    await post(admin, 'admin two');
    await visitor.getByRole('log').getByText('admin two').waitFor();
    expect(await postedBy(room.code, ADMIN)).toEqual(['admin one', 'admin two']);

    // Off again: the refused text, still in the box, goes out with Enter, and another right after it.
    await post(admin, '/slowmode 0');
    await notice(admin, '/slowmode', 'slowmode: 0', 'info').waitFor();
    await visitor.getByRole('textbox', { name: 'Message' }).press('Enter');
    await admin.getByRole('log').getByText('second', { exact: true }).waitFor();
    expect(await visitor.locator('.composer').getByRole('alert').count()).toBe(0);
    await post(visitor, 'third, right after');
    await admin.getByRole('log').getByText('third, right after').waitFor();
    expect(await postedBy(room.code, VISITOR)).toEqual(['first', 'second', 'third, right after']);
  });
});
