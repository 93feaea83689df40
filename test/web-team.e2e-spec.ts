import { Given, TestUser } from '@parley/testing';
import { Page } from 'playwright-core';
import { connected, describeInChromium, useChromium, logInOnTeamPage } from './support/chromium';
import { ADMIN_PASSWORD, createTestApp, TestApp } from './support/test-app';

/**
 * The team page at `/` (PRODUCT.md §4b) in Debian's Chromium, through its accessible names: log in,
 * the "Channels" navigation, a conversation's `log`, "Message" and "Send", live posts, unread marks.
 */
describeInChromium(__filename, 'team web UI in Chromium', () => {
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

  const logIn = (page: Page, email: string, password: string) => logInOnTeamPage(page, app.baseUrl, email, password);

  it('offers the enabled ways to log in, and says so when a password is wrong', async () => {
    const page = await newPage();
    await page.goto(`${app.baseUrl}/`);
    await page.getByRole('heading', { name: 'Log in to Parley' }).waitFor();
    await page.getByRole('textbox', { name: 'Email' }).fill('admin@example.com');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /invalid|incorrect|wrong/i })
      .waitFor();
    expect(await page.getByRole('button', { name: 'Send magic link' }).count()).toBe(0); // magic-link is off here
  });

  it('logs in, opens a channel, sends with Enter, receives a webhook post live, and marks unread elsewhere', async () => {
    const general = (await admin.api.get('/channels')).body.channels[0] as { id: string; name: string };
    const page = await newPage();
    await logIn(page, 'admin@example.com', ADMIN_PASSWORD);
    await connected(page);
    const log = page.getByRole('log', { name: general.name });
    await log.waitFor();

    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill('hello from the browser');
    await box.press('Enter');
    await log.getByText('hello from the browser').waitFor();
    expect(await box.inputValue()).toBe('');
    await box.fill('two');
    await box.press('Shift+Enter');
    await box.pressSequentially('lines');
    expect(await box.inputValue()).toBe('two\nlines');
    await page.getByRole('button', { name: 'Send' }).click();
    await log.getByText(/two\s+lines/).waitFor();

    const hook = await given.webhook(admin, general.id, 'Alertmanager');
    const posted = await app.api.post(
      `/webhooks/${hook.id}/messages`,
      { content: 'DiskFull on db-1' },
      {
        Authorization: `Bearer ${hook.token}`,
      },
    );
    expect(posted.status).toBe(200);
    const botMessage = log.getByRole('article').filter({ hasText: 'DiskFull on db-1' });
    await botMessage.waitFor();
    await botMessage.getByText('BOT', { exact: true }).waitFor();

    const other = await given.channel(admin, 'deploys');
    const deployHook = await given.webhook(admin, other.id, 'CI');
    await app.api.post(
      `/webhooks/${deployHook.id}/messages`,
      { content: 'build 42 passed' },
      {
        Authorization: `Bearer ${deployHook.token}`,
      },
    );
    const nav = page.getByRole('navigation', { name: 'Channels' });
    await nav.getByRole('link', { name: /deploys.*1 unread/ }).waitFor();
    await nav.getByRole('link', { name: /deploys/ }).click();
    await page.getByRole('log', { name: 'deploys' }).getByText('build 42 passed').waitFor();
    await nav.getByRole('link', { name: /^# deploys$/ }).waitFor(); // read now: no mark

    // A reload keeps the session (refresh token) and the history.
    await page.reload();
    await page.getByRole('log', { name: 'deploys' }).getByText('build 42 passed').waitFor();
  });

  it('lets someone in several workspaces choose one after logging in', async () => {
    const owner = await given.workspace('Second team');
    const page = await newPage();
    await page.goto(`${app.baseUrl}/`);
    await page.getByRole('textbox', { name: 'Email' }).fill(owner.email);
    await page.getByRole('button', { name: 'Log in' }).click(); // dev mode: no password
    await page.getByRole('heading', { name: 'Choose a workspace' }).waitFor();
    await page.getByRole('button', { name: /Second team/ }).click();
    await page.getByRole('navigation', { name: 'Channels' }).waitFor();
    // The top bar names the workspace the session is in now.
    await page.getByRole('banner').getByText('Second team', { exact: true }).first().waitFor();
    expect(await page.getByLabel('Workspace').inputValue()).toBe('second-team');
  });

  it('starts a direct message with a member, and the answer arrives live', async () => {
    const bea = await given.member(admin, { email: `bea-${Date.now()}@example.com` });
    const beaName = (await bea.api.get('/auth/me')).body.user.userName as string;
    const page = await newPage();
    await logIn(page, 'admin@example.com', ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'New direct message' }).click();
    await page.getByLabel('Person').selectOption({ label: beaName });
    await page.getByRole('button', { name: 'Start' }).click();
    const log = page.getByRole('log', { name: beaName });
    await log.waitFor();
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill('hi Bea, a private word');
    await box.press('Enter');
    await log.getByText('hi Bea, a private word').waitFor();

    const [dm] = (await bea.api.get('/conversations')).body.conversations as Array<{ id: string }>;
    const seen = (await bea.api.get(`/conversations/${dm.id}/messages`)).body.messages as Array<{ content: string }>;
    expect(seen.map((m) => m.content)).toEqual(['hi Bea, a private word']);
    await bea.api.post(`/conversations/${dm.id}/messages`, { content: 'hello back' });
    await log.getByText('hello back').waitFor();
    await page.getByRole('navigation', { name: 'Channels' }).getByRole('link', { name: beaName }).waitFor();
  });
});
