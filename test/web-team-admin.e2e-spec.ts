import { Given, TestUser } from '@parley/testing';
import { Locator, Page } from 'playwright-core';
import { connected, describeInChromium, useChromium, logInOnTeamPage } from './support/chromium';
import { ADMIN_PASSWORD, createTestApp, TestApp } from './support/test-app';

/**
 * The team page's admin area (`#/admin/<section>`, PRODUCT.md §4b) in Debian's Chromium, through
 * accessible names: channels, users, webhooks (the token shown once, with curl examples that work),
 * workspace settings and the switcher; nothing of it for a non-admin.
 */
describeInChromium(__filename, 'team web UI admin area in Chromium', () => {
  let app: TestApp;
  let given: Given;
  let admin: TestUser;
  let general: { id: string; name: string };

  beforeAll(async () => {
    app = await createTestApp();
    given = new Given(app.api);
    admin = await given.admin();
    general = (await admin.api.get('/channels')).body.channels[0];
  });
  afterAll(async () => {
    await app?.close();
  });
  const { newPage } = useChromium();

  /** Logs in on the login screen (an empty password is a dev login) and waits for the stream. */
  const logIn = (page: Page, email: string, password = '') => logInOnTeamPage(page, app.baseUrl, email, password);

  const openSection = async (page: Page, section: string) => {
    await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: section }).click();
    await page.getByRole('heading', { name: section, level: 3 }).waitFor();
  };

  /** Waits until a control shows `value` (it may be filled after an answer). */
  const hasValue = async (control: Locator, value: string) => {
    for (let i = 0; i < 100 && (await control.inputValue()) !== value; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await control.inputValue()).toBe(value);
  };

  const status = (page: Page, text: RegExp) => page.getByRole('status').filter({ hasText: text }).waitFor();

  it('lets an admin create, rename and delete channels, add members, change roles, set a password and remove', async () => {
    const page = await newPage();
    await logIn(page, 'admin@example.com', ADMIN_PASSWORD);
    await page.getByRole('link', { name: 'Admin', exact: true }).click();
    await page.getByRole('heading', { name: 'Admin', level: 2 }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Channels' });

    // Channels: create (it shows in the navigation, live), rename, delete after a confirmation.
    await page.getByRole('textbox', { name: 'Channel name' }).fill('releases');
    await page.getByRole('button', { name: 'Create channel' }).click();
    await nav.getByRole('link', { name: '# releases' }).waitFor();
    await page.getByRole('button', { name: 'Rename #releases' }).click();
    await page.getByRole('textbox', { name: 'New name for #releases' }).fill('shipping');
    await page.getByRole('button', { name: 'Save' }).click();
    await nav.getByRole('link', { name: '# shipping' }).waitFor();
    await page.getByRole('button', { name: 'Delete #shipping' }).click();
    await page.getByRole('group', { name: /Delete #shipping/ }).waitFor();
    await page.getByRole('button', { name: 'Delete channel' }).click();
    await nav.getByRole('link', { name: '# shipping' }).waitFor({ state: 'detached' });
    expect((await admin.api.get('/channels')).body.channels.map((c: { name: string }) => c.name)).toEqual([
      general.name,
    ]);

    // Users: invite by e-mail, then the last admin cannot be demoted (an alert), then a promotion.
    await openSection(page, 'Users');
    await page.getByRole('textbox', { name: 'Email' }).fill('carol@example.com');
    await page.getByRole('combobox', { name: 'Role' }).selectOption('user');
    await page.getByRole('button', { name: 'Invite' }).click();
    await status(page, /carol@example\.com is now a member/);
    const carol = page.getByRole('row', { name: /carol@example\.com/ });
    await carol.getByRole('cell', { name: 'user', exact: true }).waitFor();

    const me = page.getByRole('row', { name: /admin@example\.com/ });
    await me.getByRole('button', { name: /^Make user/ }).click();
    await page.getByRole('alert').filter({ hasText: /admin/i }).waitFor();
    expect((await admin.api.get('/auth/me')).body.user.isAdmin).toBe(true);

    await carol.getByRole('button', { name: /^Make admin/ }).click();
    await carol.getByRole('cell', { name: 'admin', exact: true }).waitFor();
    const users = (await admin.api.get('/users')).body.users as Array<{ email: string; isAdmin: boolean }>;
    expect(users.find((u) => u.email === 'carol@example.com')?.isAdmin).toBe(true);

    // A password for carol (new here, so the admin may set one), usable at once.
    await carol.getByRole('button', { name: /^Reset password/ }).click();
    await page.getByLabel(/^New password for/).fill('carol-password-1');
    await page.getByRole('button', { name: 'Set password', exact: true }).click();
    await status(page, /Password set for/);
    const login = await app.api.post('/auth/password-login', {
      email: 'carol@example.com',
      password: 'carol-password-1',
    });
    expect(login.status).toBe(200);

    // Remove asks first; Escape cancels and gives the focus back.
    const removeCarol = carol.getByRole('button', { name: /^Remove/ });
    await removeCarol.click();
    await page.keyboard.press('Escape');
    expect(await removeCarol.evaluate((e) => e === e.ownerDocument.activeElement)).toBe(true);
    await removeCarol.click();
    await page.getByRole('button', { name: 'Remove member' }).click();
    await status(page, /was removed/);
    await carol.waitFor({ state: 'detached' });
    expect(
      (await app.api.post('/auth/password-login', { email: 'carol@example.com', password: 'carol-password-1' })).status,
    ).toBe(401);
  });

  it('creates a webhook, shows its token once with working curl examples, and revokes it', async () => {
    const page = await newPage();
    await logIn(page, 'admin@example.com', ADMIN_PASSWORD);
    await page.goto(`${app.baseUrl}/#/admin/webhooks`);
    await page.getByRole('heading', { name: 'Webhooks', level: 3 }).waitFor();

    await page.getByRole('textbox', { name: 'Webhook name' }).fill('Deploy bot');
    await page.getByRole('combobox', { name: 'Channel' }).selectOption({ label: `#${general.name}` });
    await page.getByRole('button', { name: 'Create webhook' }).click();
    const shown = page.getByRole('region', { name: /Deploy bot.*created/ });
    await shown.waitFor();
    const token = await shown.getByRole('textbox', { name: 'Token' }).inputValue();
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    const url = await shown.getByRole('textbox', { name: 'Webhook URL' }).inputValue();
    const hookUrl = await shown.getByRole('textbox', { name: 'Secret URL' }).inputValue();
    const id = /\/webhooks\/([^/]+)\/messages$/.exec(url)![1];
    expect(url).toBe(`${app.baseUrl}/webhooks/${id}/messages`);
    expect(hookUrl).toBe(`${app.baseUrl}/hooks/${id}/${token}/message`);

    const bearer = await shown.getByRole('figure', { name: 'Bearer token' }).textContent();
    expect(bearer).toContain(`curl -X POST '${url}'`);
    expect(bearer).toContain(`Authorization: Bearer ${token}`);
    expect(bearer).toContain('"content"');
    expect(await shown.getByRole('figure', { name: /Secret URL/ }).textContent()).toContain(`'${hookUrl}'`);
    const slack = await shown.getByRole('figure', { name: 'Slack-compatible body' }).textContent();
    expect(slack).toContain('"text"');
    expect(slack).toContain('"username"');
    await shown.getByRole('button', { name: 'Copy Bearer token' }).click();
    await shown
      .getByRole('status')
      .filter({ hasText: /Copied|Selected/ })
      .waitFor();

    // What the Bearer example does, and the secret URL's.
    const post = (target: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(target, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    expect((await post(url, { content: 'posted like curl' }, { Authorization: `Bearer ${token}` })).status).toBe(200);
    expect((await post(hookUrl, { text: 'slack *style*', username: 'CI' })).status).toBe(200);

    // Leaving forgets the token.
    await page
      .getByRole('navigation', { name: 'Channels' })
      .getByRole('link', { name: `# ${general.name}` })
      .click();
    const log = page.getByRole('log', { name: general.name });
    await log.getByText('posted like curl').waitFor();
    await log.getByText(/slack/).waitFor();
    await page.getByRole('link', { name: 'Admin', exact: true }).click();
    await openSection(page, 'Webhooks');
    await page.getByRole('button', { name: 'Revoke Deploy bot' }).waitFor();
    expect(await page.getByRole('textbox', { name: 'Token' }).count()).toBe(0);
    expect(await page.content()).not.toContain(token);

    await page.getByRole('button', { name: 'Revoke Deploy bot' }).click();
    await page.getByRole('button', { name: 'Revoke webhook' }).click();
    await status(page, /Revoked Deploy bot/);
    await page.getByRole('button', { name: 'Revoke Deploy bot' }).waitFor({ state: 'detached' });
    expect((await post(url, { content: 'too late' }, { Authorization: `Bearer ${token}` })).status).toBe(401);
  });

  it('renames the workspace, creates another and switches to it', async () => {
    const page = await newPage();
    await logIn(page, 'admin@example.com', ADMIN_PASSWORD);
    await page.goto(`${app.baseUrl}/#/admin/settings`);
    const name = page.getByRole('textbox', { name: 'Workspace name', exact: true, disabled: false });
    await hasValue(name, 'Parley');
    await name.fill('Acme Team');
    await page.getByRole('button', { name: 'Save name' }).click();
    await status(page, /Acme Team/);
    expect((await admin.api.get('/server/settings')).body.name).toBe('Acme Team');
    await page.reload();
    await page.getByRole('heading', { name: 'Settings', level: 3 }).waitFor();
    await hasValue(name, 'Acme Team');

    await page.getByRole('textbox', { name: 'New workspace name' }).fill('Side project');
    await page.getByRole('button', { name: 'Create workspace' }).click();
    await status(page, /Created “Side project”/);
    // The top bar's switcher shows the new workspace at once (no reload).
    await page.getByRole('combobox', { name: 'Workspace' }).getByRole('option', { name: 'Side project' }).waitFor({
      state: 'attached',
    });
    await page.getByRole('button', { name: 'Switch to Side project' }).click();
    await page.locator('.team-workspace').filter({ hasText: 'Side project' }).waitFor();
    await connected(page);
    await page.getByRole('navigation', { name: 'Channels' }).getByRole('link', { name: '# general' }).waitFor();
  });

  it('shows a non-admin no Admin link and nothing of the admin area', async () => {
    const dave = await given.member(admin, { email: 'dave@example.com' });
    expect(dave.isAdmin).toBe(false);
    const page = await newPage();
    await logIn(page, 'dave@example.com');
    expect(await page.getByRole('link', { name: 'Admin', exact: true }).count()).toBe(0);
    await page.goto(`${app.baseUrl}/#/admin/users`);
    await page.getByText("This area is for the workspace's admins.").waitFor();
    expect(await page.getByRole('heading', { name: 'Admin' }).count()).toBe(0);
    expect(await page.getByRole('textbox', { name: 'Email' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Invite' }).count()).toBe(0);
  });

  it('fits a phone: no sideways scrolling in the admin sections', async () => {
    const page = await newPage({ viewport: { width: 360, height: 740 } });
    await logIn(page, 'admin@example.com', ADMIN_PASSWORD);
    for (const section of ['channels', 'users', 'webhooks', 'settings']) {
      await page.goto(`${app.baseUrl}/#/admin/${section}`);
      await page.getByRole('navigation', { name: 'Admin sections' }).waitFor();
      await page.getByRole('status', { name: 'Connection' }).waitFor();
      // What sticks out past the viewport (tag.class:right edge), or how far the page scrolls sideways.
      const overflow = await page.evaluate(`(() => {
        const wide = [...document.querySelectorAll('body *')]
          .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
          .map((e) => e.tagName + '.' + e.className + ':' + Math.round(e.getBoundingClientRect().right));
        return wide.length ? wide.join(' ') : document.documentElement.scrollWidth - window.innerWidth;
      })()`);
      expect({ section, overflow }).toEqual({ section, overflow: 0 });
    }
  });
});
