import { Given, TestUser } from '@parley/testing';
import { Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { connected, describeInChromium, useChromium, waitInPage } from './support/chromium';
import { ADMIN_PASSWORD, createTestApp, TestApp } from './support/test-app';

/** A 40×30 PNG. */
const png = () =>
  sharp({ create: { width: 40, height: 30, channels: 3, background: { r: 200, g: 80, b: 40 } } })
    .png()
    .toBuffer();

/**
 * The team page's message features (PRODUCT.md §4b) in Debian's Chromium, through accessible
 * names: Markdown (and no raw HTML), reactions, edit/delete, threads, images, optimistic sends, DMs.
 */
describeInChromium(__filename, 'team web UI messages in Chromium', () => {
  let app: TestApp;
  let given: Given;
  let admin: TestUser;
  let bob: TestUser;
  let bobName: string;

  beforeAll(async () => {
    app = await createTestApp();
    given = new Given(app.api);
    admin = await given.admin();
    bob = await given.member(admin);
    bobName = (await bob.api.get('/auth/me')).body.user.userName as string;
  });
  afterAll(async () => {
    await app?.close();
  });
  const { newPage } = useChromium();

  /** Logs in (an empty password logs in by e-mail: dev mode) and opens the conversation `link`. */
  const open = async (email: string, password: string, link: RegExp): Promise<Page> => {
    const page = await newPage();
    await page.goto(`${app.baseUrl}/`);
    await page.getByRole('textbox', { name: 'Email' }).fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    const nav = page.getByRole('navigation', { name: 'Channels' });
    await connected(page);
    await nav.getByRole('link', { name: link }).click();
    return page;
  };
  const say = async (page: Page, text: string) => {
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill(text);
    await box.press('Enter');
  };
  const article = (log: Locator, text: string | RegExp) => log.getByRole('article').filter({ hasText: text });
  const newestId = async (path: string): Promise<string> =>
    ((await admin.api.get(`${path}/messages?limit=1`)).body.messages[0] as { id: string }).id;

  it('renders safe Markdown, toggles reactions, edits and deletes live, and retries a failed send', async () => {
    const channel = await given.channel(admin, 'markdown');
    const page = await open('admin@example.com', ADMIN_PASSWORD, /markdown/);
    const log = page.getByRole('log', { name: 'markdown' });
    await log.waitFor();
    const bobPage = await open(bob.email, '', /markdown/);
    const bobLog = bobPage.getByRole('log', { name: 'markdown' });

    await say(
      page,
      '**bold** and `code` and [docs](https://example.com/docs) <script>alert(1)</script> <img src=x onerror="alert(2)"> [bad](javascript:alert(3))',
    );
    const message = article(log, 'bold and');
    await message.locator('strong', { hasText: 'bold' }).waitFor();
    await message.locator('code', { hasText: 'code' }).waitFor();
    const docs = message.getByRole('link', { name: 'docs' });
    expect(await docs.getAttribute('href')).toBe('https://example.com/docs');
    expect(await docs.getAttribute('target')).toBe('_blank');
    expect(await docs.getAttribute('rel')).toBe('noopener noreferrer');
    await message.getByText('<script>alert(1)</script> <img src=x onerror="alert(2)">').waitFor();
    expect(await message.locator('script, img').count()).toBe(0);
    expect(await message.getByRole('link', { name: 'bad' }).count()).toBe(0);
    await article(bobLog, 'bold and').locator('strong').waitFor();

    // React with the picker, another user's reaction arrives live, unreact by the toggle.
    await message.getByRole('button', { name: 'Add reaction' }).click();
    await message.getByRole('button', { name: 'React with 👍' }).click();
    const mine = message.getByRole('button', { name: '👍 1' });
    expect(await mine.getAttribute('aria-pressed')).toBe('true');
    const id = await newestId(`/channels/${channel.id}`);
    expect((await bob.api.post(`/messages/${id}/reactions`, { reaction: '👍' })).status).toBe(200);
    await message.getByRole('button', { name: '👍 2' }).click();
    await message.getByRole('button', { name: '👍 1', pressed: false }).waitFor(); // bob's alone now
    await article(bobLog, 'bold and').getByRole('button', { name: '👍 1' }).waitFor();

    // Edit (Enter saves) and delete one's own; the other page follows live.
    await message.getByRole('button', { name: 'Edit' }).click();
    const editor = log.getByRole('textbox', { name: 'Edit message' });
    await editor.fill('now *edited*');
    await editor.press('Enter');
    const edited = article(log, 'now edited');
    await edited.locator('em', { hasText: 'edited' }).waitFor();
    await edited.getByText('(edited)').waitFor();
    await article(bobLog, 'now edited').waitFor();
    expect(await bobLog.getByRole('button', { name: 'Edit' }).count()).toBe(0); // not bob's
    await edited.getByRole('button', { name: 'Edit' }).click();
    await log.getByRole('textbox', { name: 'Edit message' }).press('Escape');
    await edited.getByRole('button', { name: 'Delete' }).click();
    await edited.getByRole('button', { name: 'Yes, delete' }).click();
    await article(log, 'now edited').waitFor({ state: 'detached' });
    await article(bobLog, 'now edited').waitFor({ state: 'detached' });

    // A send that fails is kept, marked, and sent again by "Retry".
    await page.route('**/messages', (route) => route.abort(), { times: 1 });
    await say(page, 'try again');
    const failed = article(log, 'try again');
    await failed.getByText('Not sent').waitFor();
    await failed.getByRole('button', { name: 'Retry' }).click();
    await article(log, 'try again').getByRole('button', { name: 'Edit' }).waitFor();
    expect(await article(log, 'try again').count()).toBe(1);
    await article(bobLog, 'try again').waitFor();
  });

  it('replies in a thread, receives replies live in the open Thread, and attaches and views an image', async () => {
    const channel = await given.channel(admin, 'threads');
    const page = await open('admin@example.com', ADMIN_PASSWORD, /threads/);
    const log = page.getByRole('log', { name: 'threads' });
    const bobPage = await open(bob.email, '', /threads/);
    const bobLog = bobPage.getByRole('log', { name: 'threads' });

    await say(page, 'the parent');
    const parent = article(log, 'the parent');
    await parent.getByRole('button', { name: 'Reply in thread' }).click();
    const thread = page.getByRole('complementary', { name: 'Thread' });
    await thread.getByText('No replies yet.').waitFor();
    const reply = thread.getByRole('textbox', { name: 'Reply' });
    await reply.fill('first **reply**');
    await reply.press('Enter');
    await thread.getByRole('log', { name: 'Replies' }).locator('strong', { hasText: 'reply' }).waitFor();
    await parent.getByRole('button', { name: '1 reply' }).waitFor();
    await article(bobLog, 'the parent').getByRole('button', { name: '1 reply' }).waitFor();

    const id = await newestId(`/channels/${channel.id}`);
    expect((await bob.api.post(`/messages/${id}/thread`, { content: 'from bob' })).status).toBe(200);
    await thread.getByRole('log', { name: 'Replies' }).getByText('from bob').waitFor();
    await parent.getByRole('button', { name: '2 replies' }).waitFor();
    await article(bobLog, 'the parent').getByRole('button', { name: '2 replies' }).waitFor();
    await thread.getByRole('button', { name: 'Close' }).click();
    await thread.waitFor({ state: 'detached' });

    // An image: "Attach image", then the message with its thumbnail, then the viewer.
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Attach image' }).click();
    await (await chooser).setFiles({ name: 'dot.png', mimeType: 'image/png', buffer: await png() });
    await page
      .getByRole('list', { name: 'Attached images' })
      .getByText(/^dot\.png$/)
      .waitFor();
    // Bob's first thumbnail request is refused, as an expired token in its URL would be: his page
    // renews the token once and loads it with the new one.
    const tokens: string[] = [];
    await bobPage.route('**/messages/image/**', (route) => {
      tokens.push(new URL(route.request().url()).searchParams.get('token') ?? '');
      return tokens.length === 1 ? route.fulfill({ status: 401, body: '' }) : route.continue();
    });
    await say(page, 'look at this');
    const withImage = article(log, 'look at this');
    const thumb = withImage.getByRole('img', { name: 'Image 1' });
    await thumb.waitFor();
    await waitInPage(page, "document.querySelector('.team-thumb img')?.naturalWidth === 40"); // loaded
    await withImage.getByRole('button', { name: 'View image 1' }).click();
    const viewer = page.getByRole('dialog', { name: 'Image' });
    await viewer.getByRole('img', { name: 'Full size' }).waitFor();
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'hidden' });
    await article(bobLog, 'look at this').getByRole('img', { name: 'Image 1' }).waitFor();
    await waitInPage(bobPage, "document.querySelector('.team-thumb img')?.naturalWidth === 40");
    expect(tokens).toHaveLength(2);
    expect(tokens[1]).not.toBe(tokens[0]);
  });

  it('works the same in a DM: Markdown, reactions, edits, threads and images', async () => {
    const dm = (await admin.api.post('/conversations', { targetUserId: bob.id })).body.conversation as { id: string };
    const page = await open('admin@example.com', ADMIN_PASSWORD, new RegExp(bobName));
    const log = page.getByRole('log', { name: bobName });
    await log.waitFor();
    const bobPage = await open(bob.email, '', /admin/);
    const bobLog = bobPage.getByRole('log', { name: /admin/ });
    await bobLog.waitFor();

    await say(page, 'hi **bob**');
    const message = article(log, 'hi bob');
    await message.locator('strong', { hasText: 'bob' }).waitFor();
    const bobsCopy = article(bobLog, 'hi bob');
    await bobsCopy.getByRole('button', { name: 'Add reaction' }).click();
    await bobsCopy.getByRole('button', { name: 'React with 🎉' }).click();
    await message.getByRole('button', { name: '🎉 1' }).waitFor();
    expect(await message.getByRole('button', { name: '🎉 1' }).getAttribute('aria-pressed')).toBe('false');

    await message.getByRole('button', { name: 'Edit' }).click();
    await log.getByRole('textbox', { name: 'Edit message' }).fill('hi `bob`');
    await log.getByRole('textbox', { name: 'Edit message' }).press('Enter');
    await article(bobLog, 'hi bob').locator('code', { hasText: 'bob' }).waitFor();

    await bobsCopy.getByRole('button', { name: 'Reply in thread' }).click();
    const bobThread = bobPage.getByRole('complementary', { name: 'Thread' });
    await bobThread.getByRole('textbox', { name: 'Reply' }).fill('a dm reply');
    await bobThread.getByRole('button', { name: 'Send reply' }).click();
    await article(log, 'hi bob').getByRole('button', { name: '1 reply' }).click();
    await page.getByRole('complementary', { name: 'Thread' }).getByText('a dm reply').waitFor();

    const conversation = page.getByRole('region', { name: bobName });
    const chooser = page.waitForEvent('filechooser');
    await conversation.getByRole('button', { name: 'Attach image' }).click();
    await (await chooser).setFiles({ name: 'dot.png', mimeType: 'image/png', buffer: await png() });
    await conversation
      .getByRole('list', { name: 'Attached images' })
      .getByText(/^dot\.png$/)
      .waitFor();
    await say(page, 'a dm image');
    await article(bobLog, 'a dm image').getByRole('img', { name: 'Image 1' }).waitFor();
    expect((await admin.api.get(`/conversations/${dm.id}/messages?limit=1`)).body.messages[0].images).toHaveLength(1);
  });
});
