import { execSync } from 'node:child_process';
import * as fs from 'node:fs';
import { Browser, chromium, Page } from 'playwright-core';
import { api } from './lib/api';
import { CHROMIUM, CHROMIUM_ARGS } from './lib/chromium';
import { percentile, sleep } from './lib/child';

/**
 * The `web` phase: a long channel stays smooth in the team page (`/`). The page keeps at most 200
 * messages of a conversation in the DOM however many are loaded (apps/web/src/team/conversation-view.tsx),
 * so a channel with 5,000 loaded messages should cost about what a 50-message one does. Measured in
 * Debian's Chromium, driven by playwright-core, as ratios against the short channel open in the same
 * page in the same run: this machine's speed swings too much for absolute times.
 */

// The browser tests' flags, and a resolver rule as a belt to those braces: every name fails to
// resolve, so nothing in the page (its messages link to example.com) can reach past 127.0.0.1.
const BENCH_CHROMIUM_ARGS = [...CHROMIUM_ARGS, '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'];

const LONG = 5_000;
const SHORT = 50;
const SEED_CONCURRENCY = 25;
/** Live-append probes per channel (after one warm-up probe), and scroll runs (after one warm-up run). */
const APPEND_PROBES = 7;
const SCROLL_RUNS = 3;
const SCROLL_FRAMES = 120;
const SCROLL_PX = 300;
/** Steps up through history compared: the first ones (little loaded) against the last (everything loaded). */
export const EDGE_STEPS = 10;
/** 5,000 messages are 100 pages of 50: a walk longer than this is stuck. */
const MAX_STEPS = 250;
const STEP_TIMEOUT_MS = 20_000;
/** The browser part of the phase stops by itself after this, whatever the page does. */
const BUDGET_MS = 4 * 60_000;

export const APPEND_TARGET = 2;
export const SCROLL_TARGET = 1.5;

/** What one channel measured while open in the page. */
export interface ChannelMetrics {
  /** Per probe: ms from the stream event's arrival to the second frame after its text shows in the log. */
  appendMs: number[];
  /** Per scroll run: p95 frame time and the worst frame, ms. */
  scrollP95Ms: number[];
  scrollMaxMs: number[];
  /** Elements in the whole page, and messages in the log, after the probes. */
  elements: number;
  messagesInPage: number;
}

export interface WebFigures {
  append: { long: number; short: number };
  scrollP95: { long: number; short: number };
  /** The worst frame over all scroll runs (a window move while scrolling shows here). */
  scrollMax: { long: number; short: number };
  elements: { long: number; short: number };
  /** Median ms per step up through history: the first EDGE_STEPS and the last. */
  stepUp: { first: number; last: number };
}

export type WebResult =
  | { skipped: string }
  | {
      messages: { long: number; short: number };
      probes: number;
      scrollRuns: number;
      /** The page's build, the seeding, and the whole phase. */
      buildSeconds: number;
      seedSeconds: number;
      seconds: number;
      short: ChannelMetrics;
      long: ChannelMetrics;
      /** Steps up from the newest to the first message, then down again; each a move of the window. */
      stepsUpMs: number[];
      stepsDownMs: number[];
      /** Messages in the page with the first message at the top (the window's limit is 200). */
      messagesInPageAtTop: number;
      pageErrors: string[];
      figures: WebFigures;
    };

type Log = (message: string) => void;

/** One channel seeded through the API, and how to post one more line to it. */
interface Channel {
  name: string;
  count: number;
  post: (content: string) => Promise<void>;
}

/**
 * The phase: skipped (with a line saying so) where Chromium is absent; else seeds the two channels
 * through the API, builds the page and measures it. Bounded: the browser part stops after BUDGET_MS.
 */
export async function runWeb(opts: {
  root: string;
  base: string;
  token: string;
  email: string;
  log: Log;
}): Promise<WebResult> {
  if (!fs.existsSync(CHROMIUM)) {
    const reason = `no Chromium at ${CHROMIUM} (apt-get install chromium)`;
    opts.log(`web: SKIPPED, ${reason}`);
    return { skipped: reason };
  }
  const started = Date.now();
  opts.log('web: building the page, seeding a 5,000-message and a 50-message channel');
  buildPage(opts.root);
  const built = Date.now();
  const long = await seedChannel(opts.base, opts.token, 'web-long', LONG);
  const short = await seedChannel(opts.base, opts.token, 'web-short', SHORT);
  const buildSeconds = (built - started) / 1000;
  const seedSeconds = (Date.now() - built) / 1000;

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: BENCH_CHROMIUM_ARGS, timeout: 60_000 });
  try {
    const measured = await within(BUDGET_MS, measure(browser, opts, long, short));
    return { ...measured, buildSeconds, seedSeconds, seconds: (Date.now() - started) / 1000 };
  } finally {
    await browser.close();
  }
}

/** The production build of the page, as `npm run build` ships it (the server reads dist/web per request). */
function buildPage(root: string): void {
  execSync('node_modules/.bin/vite build apps/web --logLevel warn', {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: 'inherit',
  });
}

const lineOf = (name: string, n: number) =>
  `${name} line **${n}**: with a link https://example.com/${n} and some _words_ to wrap a little`;

/**
 * A channel of `count` lines, posted through the API SEED_CONCURRENCY at a time. The first and the
 * last are posted alone, so they are the oldest and the newest whatever order a batch lands in.
 */
async function seedChannel(base: string, token: string, name: string, count: number): Promise<Channel> {
  const id = (await api(base, 'POST', '/channels', { name }, token)).channel.id as string;
  const post = async (content: string) => {
    await api(base, 'POST', `/channels/${id}/messages`, { content }, token);
  };
  await post(lineOf(name, 1));
  for (let n = 2; n < count; n += SEED_CONCURRENCY) {
    const batch = Array.from({ length: Math.min(SEED_CONCURRENCY, count - n) }, (_, i) => n + i);
    await Promise.all(batch.map((k) => post(lineOf(name, k))));
  }
  await post(lineOf(name, count));
  return { name, count, post };
}

/** Rejects after `ms`; closing the browser then ends whatever the page was still doing. */
async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`web phase: not done in ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The short channel first (the baseline), then the long one: up through its history to the first
 * message (everything loaded, the window moved up 100 times), back down to the newest by scrolling,
 * and measured there the same way.
 */
async function measure(
  browser: Browser,
  opts: { base: string; email: string; log: Log },
  long: Channel,
  short: Channel,
) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.addInitScript(timeStreamEvents);
  await logInOnTeamPage(page, opts.base, opts.email);

  opts.log(`web: ${short.name} (${short.count} messages), the baseline`);
  await openChannel(page, short);
  const shortMetrics = await measureChannel(page, short);

  opts.log(`web: ${long.name}: up through ${long.count} messages and back down`);
  await openChannel(page, long);
  const stepsUpMs = await walk(page, 'up');
  const atTop = await page.evaluate(pageSize);
  if (!atTop.firstMessage?.startsWith(`${long.name} line 1:`)) {
    throw new Error(`web: the walk up ended at "${atTop.firstMessage}", not at the first message`);
  }
  const stepsDownMs = await walk(page, 'down');
  await settleAtBottom(page);
  opts.log(`web: ${long.name}, everything loaded, measured`);
  const longMetrics = await measureChannel(page, long);
  await context.close();

  const result = {
    messages: { long: long.count, short: short.count },
    probes: APPEND_PROBES,
    scrollRuns: SCROLL_RUNS,
    short: shortMetrics,
    long: longMetrics,
    stepsUpMs,
    stepsDownMs,
    messagesInPageAtTop: atTop.messages,
    pageErrors,
  };
  return { ...result, figures: figuresOf(result) };
}

function figuresOf(r: { short: ChannelMetrics; long: ChannelMetrics; stepsUpMs: number[] }): WebFigures {
  return {
    append: { long: median(r.long.appendMs), short: median(r.short.appendMs) },
    scrollP95: { long: median(r.long.scrollP95Ms), short: median(r.short.scrollP95Ms) },
    scrollMax: { long: Math.max(...r.long.scrollMaxMs), short: Math.max(...r.short.scrollMaxMs) },
    elements: { long: r.long.elements, short: r.short.elements },
    stepUp: { first: median(r.stepsUpMs.slice(0, EDGE_STEPS)), last: median(r.stepsUpMs.slice(-EDGE_STEPS)) },
  };
}

const ascending = (values: number[]) => [...values].sort((a, b) => a - b);
const median = (values: number[]) => percentile(ascending(values), 50);

/** Live appends, then scroll runs, then the page's size: the same probes for either channel. */
async function measureChannel(page: Page, channel: Channel): Promise<ChannelMetrics> {
  await appendLatency(page, channel, 'warm-up'); // the first render of a new message pays for cold code
  const appendMs: number[] = [];
  for (let i = 0; i < APPEND_PROBES; i++) appendMs.push(await appendLatency(page, channel, `probe ${i}`));
  const scrollP95Ms: number[] = [];
  const scrollMaxMs: number[] = [];
  for (let run = 0; run <= SCROLL_RUNS; run++) {
    const frames = ascending(await page.evaluate(scrollFrames, [SCROLL_FRAMES, SCROLL_PX] as const));
    if (run > 0) {
      // Run 0 warms up.
      scrollP95Ms.push(percentile(frames, 95));
      scrollMaxMs.push(frames[frames.length - 1]);
    }
    // A run may have moved a long channel's window: back to the newest, where each run starts.
    await walk(page, 'down');
    await settleAtBottom(page);
  }
  const size = await page.evaluate(pageSize);
  return { appendMs, scrollP95Ms, scrollMaxMs, elements: size.elements, messagesInPage: size.messages };
}

/** Posts a line through the API and times it in the page from its stream event to its paint. */
async function appendLatency(page: Page, channel: Channel, label: string): Promise<number> {
  const text = `${channel.name} ${label} ${Date.now()}`;
  await page.evaluate(armProbe, [text, STEP_TIMEOUT_MS] as const);
  await channel.post(text);
  return page.evaluate(() => (globalThis as unknown as ProbeGlobals).probe!.shown);
}

/** Steps the log's window to one end of the history, one step at a time; the ms of each step. */
async function walk(page: Page, direction: 'up' | 'down'): Promise<number[]> {
  const steps: number[] = [];
  for (;;) {
    const ms = await page.evaluate(stepTo, [direction, STEP_TIMEOUT_MS] as const).catch((error: Error) => {
      throw new Error(`web: step ${steps.length + 1} ${direction}: ${error.message}`);
    });
    if (ms === undefined) return steps;
    steps.push(ms);
    if (steps.length > MAX_STEPS) throw new Error(`web: still going ${direction} after ${MAX_STEPS} steps`);
  }
}

/** As test/support/chromium.ts's logInOnTeamPage, by e-mail alone (dev mode), with one workspace. */
async function logInOnTeamPage(page: Page, base: string, email: string): Promise<void> {
  await page.goto(`${base}/`);
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('navigation', { name: 'Channels' }).waitFor();
  await page
    .getByRole('status', { name: 'Connection' })
    .filter({ hasText: /^Connected$/ })
    .waitFor();
}

async function openChannel(page: Page, channel: Channel): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Channels' })
    .getByRole('link', { name: `# ${channel.name}` })
    .click();
  await page.getByRole('log', { name: channel.name }).getByText(`${channel.name} line ${channel.count}:`).waitFor();
  await settleAtBottom(page);
}

/** At the log's bottom, once the page has seen the scroll: new messages then keep the reader there. */
async function settleAtBottom(page: Page): Promise<void> {
  await page.evaluate(scrollToBottom);
  await sleep(100);
}

// ---------------------------------------------------------------------------------------------
// What runs in the page. The bench compiles without DOM types, so the few browser globals these
// functions use are declared here; playwright sends each function's source to Chromium, so they
// use only their arguments and the page's globals, never this module's names.

interface PageNode {
  scrollTop: number;
  readonly scrollHeight: number;
  readonly textContent: string | null;
  querySelector(selector: string): PageNode | null;
  querySelectorAll(selector: string): ArrayLike<PageNode>;
}
declare const document: PageNode & { getElementsByTagName(name: string): ArrayLike<unknown> };
declare function requestAnimationFrame(callback: () => void): number;
declare class MutationObserver {
  constructor(callback: (records: Array<{ addedNodes: ArrayLike<PageNode> }>) => void);
  observe(target: PageNode, options: { childList: boolean; subtree: boolean }): void;
  disconnect(): void;
}

/** The armed probe: its text, when the stream delivered it, and its timing once shown. */
interface Probe {
  text: string;
  arrivedAt?: number;
  shown: Promise<number>;
}
interface ProbeGlobals {
  probe?: Probe;
}

/** Init script: the page's EventSource notes when the event carrying the armed probe's text arrives. */
function timeStreamEvents(): void {
  const g = globalThis as unknown as ProbeGlobals;
  const Native = globalThis.EventSource;
  globalThis.EventSource = class extends Native {
    constructor(url: string | URL, init?: EventSourceInit) {
      super(url, init);
      // Added before the page sets `onmessage`, so it runs first: the clock starts on arrival.
      this.addEventListener('message', (event: { data: string }) => {
        const probe = g.probe;
        if (probe && probe.arrivedAt === undefined && event.data.includes(probe.text)) {
          probe.arrivedAt = performance.now();
        }
      });
    }
  };
}

/**
 * Arms a probe for `text`: `shown` resolves two frames after a node carrying it is added to the
 * log (the frame that paints it has then run), with the ms since its stream event arrived.
 */
function armProbe([text, timeoutMs]: readonly [string, number]): void {
  const log = document.querySelector('[role="log"]')!;
  const probe: Probe = { text, shown: Promise.resolve(NaN) };
  probe.shown = new Promise<number>((resolve, reject) => {
    const observer = new MutationObserver((records) => {
      // Only the added nodes are read, so the check costs the same in a long log as in a short one.
      const added = records.some((r) => Array.from(r.addedNodes).some((n) => n.textContent?.includes(text)));
      if (!added) return;
      observer.disconnect();
      clearTimeout(timer);
      requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - probe.arrivedAt!)));
    });
    const timer = setTimeout(() => {
      observer.disconnect();
      reject(new Error(`probe "${text}" did not show in ${timeoutMs} ms`));
    }, timeoutMs);
    observer.observe(log, { childList: true, subtree: true });
  });
  (globalThis as unknown as ProbeGlobals).probe = probe;
}

/** Frame times (ms) while the log scrolls `px` a frame, up for the first half of `frames` and down for the rest. */
function scrollFrames([frames, px]: readonly [number, number]): Promise<number[]> {
  const log = document.querySelector('[role="log"]')!;
  return new Promise((resolve) => {
    const times: number[] = [];
    let last = performance.now();
    let n = 0;
    const frame = () => {
      const now = performance.now();
      if (n > 0) times.push(now - last);
      last = now;
      if (n === frames) return resolve(times);
      log.scrollTop += n < frames / 2 ? -px : px;
      n++;
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
}

/**
 * One step of the window towards `direction`: scrolls the log to that end and resolves, two frames
 * after the message at that end changed (or the "Load older/newer messages" button went), with the
 * ms it took; undefined when there was nothing more that way.
 */
function stepTo([direction, timeoutMs]: readonly ['up' | 'down', number]): Promise<number | undefined> {
  const log = document.querySelector('[role="log"]')!;
  const more = direction === 'up' ? 'Load older messages' : 'Load newer messages';
  const hasMore = () => Array.from(log.querySelectorAll('button')).some((b) => b.textContent === more);
  if (!hasMore()) return Promise.resolve(undefined);
  const edge = () => {
    const shown = log.querySelectorAll('.team-message .team-content');
    return shown[direction === 'up' ? 0 : shown.length - 1]?.textContent;
  };
  const before = edge();
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const observer = new MutationObserver(() => {
      // The last step up may find nothing older (the first page was a full one): the button goes, the edge stays.
      if (edge() === before && hasMore()) return;
      observer.disconnect();
      clearTimeout(timer);
      requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t0)));
    });
    const timer = setTimeout(() => {
      observer.disconnect();
      const where = `scrollTop ${log.scrollTop} of ${log.scrollHeight}, ${log.querySelectorAll('.team-message').length} messages`;
      reject(
        new Error(`the window did not move ${direction} in ${timeoutMs} ms: "${before}" still at the end; ${where}`),
      );
    }, timeoutMs);
    observer.observe(log, { childList: true, subtree: true });
    log.scrollTop = direction === 'up' ? 0 : log.scrollHeight;
  });
}

/** Scrolls the log to its bottom and waits two frames, so its scroll event has been handled. */
function scrollToBottom(): Promise<void> {
  const log = document.querySelector('[role="log"]')!;
  log.scrollTop = log.scrollHeight;
  return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
}

function pageSize(): { elements: number; messages: number; firstMessage: string | null | undefined } {
  const messages = document.querySelectorAll('[role="log"] .team-message .team-content');
  return {
    elements: document.getElementsByTagName('*').length,
    messages: messages.length,
    firstMessage: messages[0]?.textContent,
  };
}
