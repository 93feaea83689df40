import * as fs from 'node:fs';
import * as path from 'node:path';
import { Browser, BrowserContext, BrowserContextOptions, chromium, Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../../bench/lib/chromium';

/**
 * The room page (`/chat/:code`, docs/decisions/0008) in Debian's Chromium, driven by
 * playwright-core through accessible names only — they are the page's contract. Never downloads a
 * browser: without /usr/bin/chromium a suite is skipped, except under CI=true, where .ci/run
 * installs it and a missing browser is a failure.
 */

/**
 * `describe` when Chromium is here; otherwise a skipped suite and a line on stderr, or, under
 * CI=true, a failing test (CI must not go green by skipping).
 */
export function describeInChromium(specFile: string, title: string, body: () => void): void {
  const haveChromium = fs.existsSync(CHROMIUM);
  if (!haveChromium && process.env.CI === 'true') {
    describe(title, () => {
      it('has Chromium to run in', () => {
        throw new Error(`${CHROMIUM} is missing under CI=true: .ci/run installs it (apt-get install -y chromium)`);
      });
    });
  } else if (!haveChromium) {
    process.stderr.write(
      `\ntest/${path.basename(specFile)} SKIPPED: no Chromium at ${CHROMIUM} (apt-get install chromium); under CI=true this fails instead\n`,
    );
  }
  (haveChromium ? describe : describe.skip)(title, body);
}

export interface ChromiumPages {
  /**
   * A page in a fresh browser context (its own profile: storage, cookies), closed after the test;
   * `options` go to `browser.newContext` (viewport, colorScheme, deviceScaleFactor, …).
   */
  newPage: (options?: BrowserContextOptions) => Promise<Page>;
}

/**
 * Inside a `describeInChromium` body: launches Chromium once for the suite, closes each test's
 * contexts after it, and fails the test if a page reported a problem (an uncaught error, a CSP refusal).
 * `extraArgs` is read when the browser launches (in this hook, after the suite's earlier `beforeAll`s).
 */
export function useChromium(options: { extraArgs?: () => string[] } = {}): ChromiumPages {
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    const args = [...CHROMIUM_ARGS, ...(options.extraArgs?.() ?? [])];
    browser = await chromium.launch({ executablePath: CHROMIUM, args });
  });
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
    expect(problems.splice(0)).toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
  });

  return {
    newPage: async (options = {}) => {
      const context = await browser.newContext(options);
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error' && /Content.Security.Policy|Refused to/i.test(message.text())) {
          problems.push(`console: ${message.text()}`);
        }
      });
      return page;
    },
  };
}

/**
 * Waits until `expression` (JavaScript, evaluated in the page) is truthy, polling from here:
 * `page.waitForFunction` polls inside the page with `eval`, which the page's CSP refuses — it only
 * works when the first try already succeeds.
 */
export async function waitInPage(page: Page, expression: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate<unknown>(expression))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting in the page for: ${expression}`);
    await page.waitForTimeout(50);
  }
}

/** Waits for the "Connection" status to read Connected. */
export const connected = (page: Page): Promise<void> =>
  page
    .getByRole('status', { name: 'Connection' })
    .filter({ hasText: /^Connected$/ })
    .waitFor();

/** Fills "Your name", presses "Join" and waits to be connected. */
export async function join(page: Page, name: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Your name' }).fill(name);
  await page.getByRole('button', { name: 'Join' }).click();
  await connected(page);
}

/** Types a line in "Message" and presses Enter (a message, or a command when it starts with `/`). */
export async function say(page: Page, text: string): Promise<void> {
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
}

/** "This room is gone", with no composer. */
export async function showsGone(page: Page): Promise<void> {
  await page.getByRole('heading', { name: 'This room is gone' }).waitFor();
  expect(await page.getByRole('textbox', { name: 'Message' }).count()).toBe(0);
  expect(await page.getByRole('button', { name: 'Send' }).count()).toBe(0);
}

/** The room code in the page's address. */
export const codeOf = (page: Page): string => /\/chat\/([^/#?]+)/.exec(page.url())![1];

/**
 * Logs in on the team page `/`: by password when one is given, else by e-mail alone (dev mode);
 * picks the first workspace when the page asks; waits for "Channels" and a live stream.
 */
export async function logInOnTeamPage(page: Page, baseUrl: string, email: string, password = ''): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  if (password !== '') await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  const picker = page.getByRole('heading', { name: 'Choose a workspace' });
  await page.getByRole('navigation', { name: 'Channels' }).or(picker).waitFor();
  if (await picker.isVisible()) await page.getByRole('listitem').first().getByRole('button').click();
  await page.getByRole('navigation', { name: 'Channels' }).waitFor();
  await connected(page);
}
