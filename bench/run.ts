import { execSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from '@parley/common';
import { startEmbeddedPostgres } from '@parley/database';
import { Client } from 'pg';
import {
  benchScript,
  spawnNode,
  Child,
  killAll,
  Load,
  rssOf,
  SENT_AT,
  Slice,
  sleep,
  startChild,
  summarize,
  trackProcess,
} from './lib/child';
import { api } from './lib/api';
import { APPEND_TARGET, EDGE_STEPS, runWeb, SCROLL_TARGET } from './web-long-channel';

const ROOT = path.resolve(__dirname, '..', '..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const SSE_SECONDS = Number(process.env.BENCH_SSE_SECONDS ?? SECONDS);
// BENCH_ONLY=ingest,sse,history,rooms,web,cold runs a subset while profiling; the README table is written only by a full run.
const PHASES = ['ingest', 'sse', 'history', 'rooms', 'web', 'cold'];
const ONLY = new Set((process.env.BENCH_ONLY ?? PHASES.join(',')).split(',').map((s) => s.trim()));
const FULL_RUN = PHASES.every((phase) => ONLY.has(phase));
// Live sockets in the rooms phase; bounded, since every post is written once per socket.
const ROOM_SOCKETS = Math.min(2000, Math.max(1, Number(process.env.BENCH_ROOM_SOCKETS ?? 200)));
const ROOM_CONNECTIONS = 50;
// The relay floor's room (it accepts any code); Parley's room is created by the bench.
const FLOOR_ROOM = 'FLOOR';
// Parley does the relay's work plus a durable, encrypted write and the event log; posts arriving together are
// written together, so it should keep at least half of the relay's rate.
const ROOM_TARGET = 0.5;
// Dev-mode login by e-mail alone: the API calls and the web phase's page log in as this admin.
const ADMIN_EMAIL = 'admin@example.com';

// Loads are measured in slices, alternating with the baseline they are compared to, so that drift in what the shared
// machine gives us (it swings by a third between minutes) falls on both sides of a ratio alike.
const ROUNDS = 5;
interface SseRun {
  clients: number;
  connected: number;
  published: number;
  received: number;
  deliveredPerSec: number;
  deliveryPct: number;
  p50: number;
  p99: number;
  memPerConnKb: number;
}

const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);

async function openDatabase(): Promise<{ serverUrl: string; stop: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (url) return { serverUrl: url, stop: () => Promise.resolve() };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-pg-'));
  const db = await startEmbeddedPostgres({ dataDir });
  return {
    serverUrl: db.url,
    stop: async () => {
      await db.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const withDb = (url: string, db: string) => {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
};

async function sql<T>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text, params)).rows as T[];
  } finally {
    await c.end();
  }
}

async function waitHealthy(base: string, child: { exitCode: number | null }, timeoutMs = 120_000): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error('server exited while starting');
    try {
      if ((await fetch(`${base}/health`)).ok) return Date.now() - t0;
    } catch {
      // not up yet
    }
    if (Date.now() - t0 > timeoutMs) throw new Error(`${base} not healthy in time`);
    await sleep(50);
  }
}

async function startParley(databaseUrl: string) {
  const port = await freePort();
  const child = spawnNode('dist/apps/api/src/main.js', {
    // e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server under load.
    nodeArgs: process.env.BENCH_SERVER_NODE_ARGS,
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      PARLEY_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-data-')),
      SSE_MAX_STREAMS_PER_USER: '100000',
      // Every bench request comes from 127.0.0.1: the per-IP room budget would measure the limiter, not the rooms.
      ROOM_POST_RATE_LIMIT_PER_HOUR: '1000000000',
      ROOM_POST_RATE_LIMIT_PER_DAY: '1000000000',
      ROOM_CREATE_RATE_LIMIT_PER_HOUR: '1000000000',
      ROOM_CREATE_RATE_LIMIT_PER_DAY: '1000000000',
      // Fixed, so tokens survive the restart between phases.
      JWT_SECRET: 'parley-bench-signing-secret-0123456789abcdef',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  trackProcess(child);
  const base = `http://127.0.0.1:${port}`;
  await waitHealthy(base, child);
  return { base, pid: child.pid!, stop: () => stopProcess(child) };
}

async function stopProcess(child: import('node:child_process').ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(15_000)]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

function httpLoad(base: string, requests: unknown[], connections: number, seconds: number): Promise<Slice> {
  return startChild(benchScript('http-load.js'), { base, connections, seconds, requests }).result<Slice>();
}

/** Runs each load in turn, ROUNDS times, `seconds` in all for each; one summary per load. */
async function interleaved(loads: Array<(seconds: number) => Promise<Slice>>, seconds: number): Promise<Load[]> {
  const slices: Slice[][] = loads.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, load] of loads.entries()) slices[i].push(await load(seconds / ROUNDS));
  }
  return slices.map(summarize);
}

async function startFloor(script: string): Promise<{ base: string; pid: number; child: Child }> {
  const port = await freePort();
  // BENCH_FLOOR_NODE_ARGS profiles the floors the way BENCH_SERVER_NODE_ARGS does the server.
  const child = startChild(benchScript(script), { port }, { nodeArgs: process.env.BENCH_FLOOR_NODE_ARGS });
  await child.waitForLine(/^READY/);
  return { base: `http://127.0.0.1:${port}`, pid: child.child.pid!, child };
}

/** N subscribers in their own process; a publisher here at `rate`/s; the server measured for memory. */
async function sseRun(opts: {
  serverPid: number;
  eventsUrl: string;
  headers: Record<string, string>;
  clients: number;
  rate: number;
  publish: (content: string) => Promise<void>;
}): Promise<SseRun> {
  await sleep(2000);
  const before = rssOf(opts.serverPid);
  const subscribers = startChild(benchScript('sse-clients.js'), {
    url: opts.eventsUrl,
    headers: opts.headers,
    count: opts.clients,
  });
  const ready = await subscribers.waitForLine(/^READY/, 180_000);
  const connected = Number(ready.split(' ')[1]);
  await sleep(3000);
  const after = rssOf(opts.serverPid);

  const total = opts.rate * SSE_SECONDS;
  const t0 = Date.now();
  const sends: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / opts.rate;
    const wait = due - Date.now();
    if (wait > 0) await sleep(wait);
    sends.push(opts.publish(`bench ${i} ${Date.now()}`).catch(() => undefined));
  }
  await Promise.all(sends);
  await sleep(3000);
  subscribers.child.stdin?.write('stop\n');
  const r = await subscribers.result<{ connected: number; received: number; p50: number; p99: number }>();
  return {
    clients: opts.clients,
    connected,
    published: total,
    received: r.received,
    deliveredPerSec: r.received / SSE_SECONDS,
    deliveryPct: (100 * r.received) / (total * opts.clients),
    p50: r.p50,
    p99: r.p99,
    // A garbage collection between the two readings can make this negative: reported as invalid.
    memPerConnKb: (after - before) / 1024 / Math.max(1, connected),
  };
}

function postAgent(): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets: 64 });
}

function post(agent: http.Agent, url: string, body: string, headers: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...headers },
      },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(String(res.statusCode)))));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function coldStart(dataDir: string): Promise<number> {
  const port = await freePort();
  const child = spawn('npm', ['start', '--silent'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: '', PARLEY_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' },
    stdio: 'ignore',
    detached: true,
  });
  trackProcess(child);
  const ms = await waitHealthy(`http://127.0.0.1:${port}`, child, 180_000);
  process.kill(-child.pid!, 'SIGTERM');
  await new Promise((r) => child.once('exit', r));
  await sleep(500);
  return ms;
}

const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const ok = (pass: boolean) => (pass ? 'yes' : '**no**');

interface Setup {
  base: string;
  benchUrl: string;
  token: string;
  userId: string;
  webhooks: { id: string; token: string }[];
}

async function runIngest(setup: Setup) {
  log('webhook ingest (c=50)');
  const body = JSON.stringify({ content: 'bench line: service=api level=info msg="request handled" status=200' });
  const ingestRequests = setup.webhooks.map((w) => ({
    method: 'POST',
    path: `/webhooks/${w.id}/messages`,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${w.token}` },
    body,
  }));
  const nestFloor = await startFloor('floors/nest-floor.js');
  const floorRequests = [{ method: 'POST', path: '/ingest', headers: { 'content-type': 'application/json' }, body }];
  await httpLoad(setup.base, ingestRequests, 50, 2); // warm-up
  await httpLoad(nestFloor.base, floorRequests, 50, 2);
  const [parley, nestLoad, rawInsert] = await interleaved(
    [
      (seconds) => httpLoad(setup.base, ingestRequests, 50, seconds),
      (seconds) => httpLoad(nestFloor.base, floorRequests, 50, seconds),
      (seconds) =>
        startChild(benchScript('pg-insert-load.js'), { url: setup.benchUrl, connections: 50, seconds }).result<Slice>(),
    ],
    SECONDS,
  );
  nestFloor.child.child.kill('SIGTERM');
  return { parley, nestFloor: nestLoad, rawInsert };
}

async function runSse(setup: Setup, serverPid: number) {
  const sse: Record<string, { parley: SseRun; bare: SseRun }> = {};
  // BENCH_SSE=10000@5 runs one case while profiling.
  const cases = (process.env.BENCH_SSE ?? '1000@50,10000@5').split(',').map((c) => c.split('@').map(Number));
  for (const [clients, rate] of cases) {
    log(`SSE fan-out: ${clients} subscribers at ${rate} messages/s`);
    const agent = postAgent();
    const hook = setup.webhooks[0];
    const parleyRun = await sseRun({
      serverPid,
      eventsUrl: `${setup.base}/events`,
      headers: { Authorization: `Bearer ${setup.token}` },
      clients,
      rate,
      publish: (content) =>
        post(agent, `${setup.base}/webhooks/${hook.id}/messages`, JSON.stringify({ content }), {
          Authorization: `Bearer ${hook.token}`,
        }),
    });
    const floor = await startFloor('floors/sse-floor.js');
    const bareRun = await sseRun({
      serverPid: floor.pid,
      eventsUrl: `${floor.base}/events`,
      headers: {},
      clients,
      rate,
      publish: (content) => post(agent, `${floor.base}/publish`, JSON.stringify({ content }), {}),
    });
    floor.child.child.kill('SIGTERM');
    agent.destroy();
    sse[`${clients}@${rate}`] = { parley: parleyRun, bare: bareRun };
    await sleep(2000);
  }
  return sse;
}

async function runHistory(setup: Setup) {
  log('history pages: 50,000 vs 1,000 messages');
  const ws = (await api(setup.base, 'GET', '/auth/me', undefined, setup.token)).workspace.id as string;
  const requests: Record<number, unknown[]> = {};
  for (const size of [50_000, 1_000]) {
    const ch = (await api(setup.base, 'POST', '/channels', { name: `history-${size}` }, setup.token)).channel
      .id as string;
    await sql(
      setup.benchUrl,
      `INSERT INTO messages (workspace_id, conversation_id, author_user_id, content)
       SELECT $1, $2, $3, 'history message ' || g FROM generate_series(1, $4::int) g`,
      [ws, ch, setup.userId, size],
    );
    await sql(setup.benchUrl, 'ANALYZE messages');
    const [{ id }] = await sql<{ id: string }>(
      setup.benchUrl,
      'SELECT id::text FROM messages WHERE conversation_id = $1 ORDER BY id OFFSET 100 LIMIT 1',
      [ch],
    );
    requests[size] = [
      {
        method: 'GET',
        path: `/channels/${ch}/messages?limit=50&before=${id}`,
        headers: { authorization: `Bearer ${setup.token}` },
      },
    ];
    await httpLoad(setup.base, requests[size], 10, 2);
  }
  const [large, small] = await interleaved(
    [
      (seconds) => httpLoad(setup.base, requests[50_000], 10, seconds),
      (seconds) => httpLoad(setup.base, requests[1_000], 10, seconds),
    ],
    Math.max(5, Math.round(SECONDS / 2)),
  );
  const history: Record<string, Load> = { 50000: large, 1000: small };
  return history;
}

/** One room with a webhook; `hookPath` is relative to the server (the URL it returns is built from APP_URL). */
async function createRoom(base: string): Promise<{ code: string; hookPath: string }> {
  const room = await api(base, 'POST', '/rooms', { name: 'bench' });
  const hook = await api(base, 'POST', `/rooms/${room.code}/webhooks`, { label: 'bench' }, undefined, {
    'X-Admin-Token': room.admin_token,
  });
  return { code: room.code, hookPath: `/hooks/in/${room.code}/${hook.token}` };
}

/** How many bench messages the sockets have received so far (`query` tells the answers apart). */
async function receivedSoFar(clients: Child, query: number): Promise<number> {
  clients.child.stdin?.write(`count ${query}\n`);
  const line = await clients.waitForLine(new RegExp(`^RECEIVED ${query} `), 10_000);
  return Number(line.split(' ')[2]);
}

/** Waits until the sockets hold every stored message, or their count stops growing (bounded): late is not lost. */
async function drain(clients: Child, expected: number): Promise<void> {
  let last = -1;
  let stalledSince = Date.now();
  for (let i = 0; i < 60; i++) {
    const received = await receivedSoFar(clients, i);
    if (received >= expected) return;
    if (received > last) [last, stalledSince] = [received, Date.now()];
    else if (Date.now() - stalledSince > 3000) return;
    await sleep(500);
  }
}

/**
 * Hook posts into the room, interleaved at the same concurrency with the same posts into the relay
 * floor (bare Nest + Socket.IO, no database) whose room holds as many sockets; warm-up posts first.
 */
async function roomLoads(base: string, hookPath: string, floorBase: string): Promise<Load[]> {
  const body = JSON.stringify({ content: `bench ${SENT_AT}` });
  const headers = { 'content-type': 'application/json' };
  const hookRequests = [{ method: 'POST', path: hookPath, headers, body }];
  const floorRequests = [{ method: 'POST', path: `/hooks/in/${FLOOR_ROOM}/floor`, headers, body }];
  await httpLoad(base, hookRequests, ROOM_CONNECTIONS, 2); // warm-up
  await httpLoad(floorBase, floorRequests, ROOM_CONNECTIONS, 2);
  return interleaved(
    [
      (seconds) => httpLoad(base, hookRequests, ROOM_CONNECTIONS, seconds),
      (seconds) => httpLoad(floorBase, floorRequests, ROOM_CONNECTIONS, seconds),
    ],
    SECONDS,
  );
}

async function storedMessages(benchUrl: string, code: string): Promise<number> {
  const [{ stored }] = await sql<{ stored: number }>(
    benchUrl,
    'SELECT count(*)::int AS stored FROM ephemeral_messages m JOIN ephemeral_rooms r ON r.id = m.room_id WHERE r.code = $1',
    [code],
  );
  return stored;
}

type RoomClientsResult = { connected: number; dropped: number; received: number; p50: number; p99: number };

/** `count` sockets in one room of a server, in their own process; resolves once all have answered. */
async function roomClients(base: string, code: string): Promise<{ clients: Child; connected: number }> {
  const clients = startChild(benchScript('room-clients.js'), { base, code, count: ROOM_SOCKETS });
  const connected = Number((await clients.waitForLine(/^READY/, 180_000)).split(' ')[1]);
  return { clients, connected };
}

async function stopRoomClients(clients: Child): Promise<RoomClientsResult> {
  clients.child.stdin?.write('stop\n');
  return clients.result<RoomClientsResult>();
}

async function runRooms(setup: Setup) {
  log(`ephemeral room: hook posts (c=${ROOM_CONNECTIONS}) to ${ROOM_SOCKETS} live sockets, vs a bare relay`);
  const { code, hookPath } = await createRoom(setup.base);
  const floor = await startFloor('floors/room-floor.js');
  const own = await roomClients(setup.base, code);
  const floorSide = await roomClients(floor.base, FLOOR_ROOM);
  const [parley, relay] = await roomLoads(setup.base, hookPath, floor.base);
  // What the room stored, warm-up included, is what every socket should have heard.
  const stored = await storedMessages(setup.benchUrl, code);
  await drain(own.clients, stored * own.connected);
  const r = await stopRoomClients(own.clients);
  const f = await stopRoomClients(floorSide.clients);
  floor.child.child.kill('SIGTERM');
  return {
    sockets: ROOM_SOCKETS,
    connected: own.connected,
    dropped: r.dropped,
    parley,
    relay,
    stored,
    received: r.received,
    deliveryPct: (100 * r.received) / Math.max(1, stored * own.connected),
    p50: r.p50,
    p99: r.p99,
    relayP50: f.p50,
    relayP99: f.p99,
  };
}

async function runColdStart() {
  log('cold start: npm start to healthy');
  const coldDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-cold-'));
  const freshMs = await coldStart(coldDir);
  const existingMs = await coldStart(coldDir);
  fs.rmSync(coldDir, { recursive: true, force: true });
  return { freshMs, existingMs };
}

function machineInfo() {
  return {
    date: new Date().toISOString().slice(0, 10),
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    commit: execSync('git rev-parse --short HEAD', { cwd: ROOT }).toString().trim(),
    database: process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded',
  };
}

type Results = {
  machine: ReturnType<typeof machineInfo>;
  seconds: number;
  ingest?: Awaited<ReturnType<typeof runIngest>>;
  sse?: Awaited<ReturnType<typeof runSse>>;
  history?: Awaited<ReturnType<typeof runHistory>>;
  rooms?: Awaited<ReturnType<typeof runRooms>>;
  web?: Awaited<ReturnType<typeof runWeb>>;
  coldStart?: Awaited<ReturnType<typeof runColdStart>>;
};

function roomRows(r: NonNullable<Results['rooms']>): string[] {
  const { parley: p, relay } = r;
  const label = `room hook posts (c=${ROOM_CONNECTIONS}, ${r.sockets} live sockets)`;
  const delivered = r.received === r.stored * r.connected && r.connected === r.sockets && r.dropped === 0;
  const ratio = p.rps / relay.rps;
  return [
    `| ${label}: posts/s vs bare Nest + Socket.IO relay | ${fmt(p.rps)} | ${fmt(relay.rps)} | ${fmt(ratio, 2)} | ≥ ${ROOM_TARGET} | ${ok(ratio >= ROOM_TARGET)} |`,
    `| ${label}: delivery % (connected), errors | ${fmt(r.deliveryPct, 2)} (${r.connected}), ${p.errors} | | | 100 %, 0 errors | ${ok(delivered && p.errors === 0)} |`,
    `| ${label}: post→socket p50 / p99 ms (hook response) | ${r.p50} / ${r.p99} (${p.p50} / ${p.p99}) | relay ${r.relayP50} / ${r.relayP99} (${relay.p50} / ${relay.p99}) | | reported | |`,
  ];
}

function webRows(web: NonNullable<Results['web']>): string[] {
  if ('skipped' in web) return [`| web: a long channel vs a short one | skipped: ${web.skipped} | | | | |`];
  const label = `web: ${fmt(web.messages.long)}-message channel vs ${fmt(web.messages.short)}`;
  const { append, scrollP95, scrollMax, elements, stepUp } = web.figures;
  const appendRatio = append.long / append.short;
  const scrollRatio = scrollP95.long / scrollP95.short;
  return [
    `| ${label}: live append, event → painted ms (median of ${web.probes}) | ${fmt(append.long, 1)} | ${fmt(append.short, 1)} | ${fmt(appendRatio, 2)} | ≤ ${APPEND_TARGET}× | ${ok(appendRatio <= APPEND_TARGET)} |`,
    `| ${label}: scroll 300 px/frame, p95 frame ms (median of ${web.scrollRuns} runs; worst frame) | ${fmt(scrollP95.long, 1)} (${fmt(scrollMax.long)}) | ${fmt(scrollP95.short, 1)} (${fmt(scrollMax.short)}) | ${fmt(scrollRatio, 2)} | ≤ ${SCROLL_TARGET}× | ${ok(scrollRatio <= SCROLL_TARGET)} |`,
    `| ${label}: elements in the page (messages in the log) | ${fmt(elements.long)} (${web.long.messagesInPage}) | ${fmt(elements.short)} (${web.short.messagesInPage}) | ${fmt(elements.long / elements.short, 2)} | reported | |`,
    `| web: ms per step up through ${fmt(web.messages.long)} messages, last ${EDGE_STEPS} vs first ${EDGE_STEPS} (${web.stepsUpMs.length} steps) | ${fmt(stepUp.last)} | ${fmt(stepUp.first)} | ${fmt(stepUp.last / stepUp.first, 2)} | reported | |`,
  ];
}

function table(results: Results): string {
  const { machine, ingest, sse, history, rooms, web, coldStart } = results;
  const rows: string[] = [
    `Measured ${machine.date} on ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, commit ${machine.commit}, PostgreSQL ${machine.database}; ${SECONDS} s per load.`,
    '',
    '| measure | Parley | baseline | ratio | target | met |',
    '|---|---|---|---|---|---|',
  ];
  if (ingest) {
    const { parley: p, nestFloor: nest, rawInsert: raw } = ingest;
    rows.push(
      `| webhook ingest req/s (c=50) vs bare Nest+Express | ${fmt(p.rps)} | ${fmt(nest.rps)} | ${fmt(p.rps / nest.rps, 2)} | ≥ 0.5 | ${ok(p.rps / nest.rps >= 0.5)} |`,
      `| webhook ingest req/s vs raw single-row INSERT | ${fmt(p.rps)} | ${fmt(raw.rps)} | ${fmt(p.rps / raw.rps, 2)} | ≥ 0.25 | ${ok(p.rps / raw.rps >= 0.25)} |`,
      `| webhook ingest p50 / p99 ms, errors | ${p.p50} / ${p.p99}, ${p.errors} | Nest ${nest.p50} / ${nest.p99}; raw ${fmt(raw.p50, 1)} / ${fmt(raw.p99, 1)} | | p99 < 50, 0 errors | ${ok(p.p99 < 50 && p.errors === 0)} |`,
    );
  }
  for (const [key, { parley: p, bare: b }] of Object.entries(sse ?? {})) {
    rows.push(
      `| SSE ${key}/s: delivered events/s | ${fmt(p.deliveredPerSec)} | ${fmt(b.deliveredPerSec)} | ${fmt(p.deliveredPerSec / b.deliveredPerSec, 2)} | ≥ 0.7 | ${ok(p.deliveredPerSec / b.deliveredPerSec >= 0.7)} |`,
      `| SSE ${key}/s: delivery % (connected) | ${fmt(p.deliveryPct, 2)} (${p.connected}) | ${fmt(b.deliveryPct, 2)} (${b.connected}) | | 100 % | ${ok(p.deliveryPct >= 100 && p.connected === p.clients)} |`,
      `| SSE ${key}/s: publish→receive p50 / p99 ms | ${p.p50} / ${p.p99} | ${b.p50} / ${b.p99} | ${fmt(p.p99 / Math.max(1, b.p99), 2)} | p99 ≤ 2× | ${ok(p.p99 <= 2 * Math.max(1, b.p99))} |`,
      p.memPerConnKb > 0 && b.memPerConnKb > 0
        ? `| SSE ${key}/s: server memory per idle connection KiB | ${fmt(p.memPerConnKb, 1)} | ${fmt(b.memPerConnKb, 1)} | ${fmt(p.memPerConnKb / b.memPerConnKb, 2)} | ≤ 1.5× | ${ok(p.memPerConnKb <= 1.5 * b.memPerConnKb)} |`
        : `| SSE ${key}/s: server memory per idle connection KiB | invalid (GC between readings) | ${fmt(b.memPerConnKb, 1)} | | ≤ 1.5× | **no** |`,
    );
  }
  if (history) {
    const h50 = history[50_000];
    const h1 = history[1_000];
    rows.push(
      `| history page req/s: 50,000-message channel vs 1,000 | ${fmt(h50.rps)} | ${fmt(h1.rps)} | ${fmt(h1.rps / h50.rps, 2)} | within 1.3× | ${ok(h1.rps / h50.rps <= 1.3)} |`,
    );
  }
  if (rooms) rows.push(...roomRows(rooms));
  if (web) rows.push(...webRows(web));
  if (coldStart) {
    rows.push(
      `| cold start to healthy, existing data dir (fresh) | ${fmt(coldStart.existingMs / 1000, 1)} s | (${fmt(coldStart.freshMs / 1000, 1)} s) | | ≤ 10 s | ${ok(coldStart.existingMs <= 10_000)} |`,
    );
  }
  return rows.join('\n');
}

function publish(results: Results, text: string): void {
  const dir = path.join(ROOT, 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  // A partial run (BENCH_ONLY) goes to its own files, so the committed figures stay whole.
  const name = FULL_RUN ? 'latest' : 'partial';
  fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(results, null, 2) + '\n');
  fs.writeFileSync(path.join(dir, `${name}.md`), text + '\n');
  if (!FULL_RUN) return;
  const readme = path.join(ROOT, 'README.md');
  const readmeText = fs.readFileSync(readme, 'utf8');
  const start = '<!-- bench:start -->';
  const end = '<!-- bench:end -->';
  if (readmeText.includes(start) && readmeText.includes(end)) {
    fs.writeFileSync(
      readme,
      readmeText.slice(0, readmeText.indexOf(start) + start.length) +
        '\n\n' +
        text +
        '\n\n' +
        readmeText.slice(readmeText.indexOf(end)),
    );
  }
  // The committed files pass `npm run check` as written.
  execSync('node_modules/.bin/prettier --log-level warn --write README.md bench/results', {
    cwd: ROOT,
    stdio: 'inherit',
  });
}

async function main(): Promise<void> {
  const machine = machineInfo();
  log(`machine: ${JSON.stringify(machine)}`);
  const results: Results = { machine, seconds: SECONDS };
  const db = await openDatabase();
  const benchUrl = withDb(db.serverUrl, 'parley_bench');
  await sql(db.serverUrl, 'DROP DATABASE IF EXISTS parley_bench WITH (FORCE)');
  await sql(db.serverUrl, 'CREATE DATABASE parley_bench');
  await sql(
    benchUrl,
    'CREATE TABLE bench_scratch (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, content text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())',
  );

  let parley = await startParley(benchUrl);
  const admin = await api(parley.base, 'POST', '/auth/dev-login', { email: ADMIN_EMAIL });
  const token = admin.token as string;
  const channel = (await api(parley.base, 'POST', '/channels', { name: 'bench' }, token)).channel.id as string;
  const webhooks: { id: string; token: string }[] = [];
  for (let i = 0; i < 20; i++)
    webhooks.push(
      (await api(parley.base, 'POST', '/webhooks', { name: `bench ${i}`, channelId: channel }, token)).webhook,
    );
  const setup = (): Setup => ({ base: parley.base, benchUrl, token, userId: admin.user.id, webhooks });

  if (ONLY.has('ingest')) results.ingest = await runIngest(setup());
  if (ONLY.has('sse')) {
    // SSE runs on a fresh server process, so garbage left by the ingest load does not skew its memory.
    await parley.stop();
    parley = await startParley(benchUrl);
    results.sse = await runSse(setup(), parley.pid);
  }
  if (ONLY.has('history')) results.history = await runHistory(setup());
  if (ONLY.has('rooms')) {
    // A fresh server process here too: the SSE phase's closed streams are not the room's garbage.
    await parley.stop();
    parley = await startParley(benchUrl);
    results.rooms = await runRooms(setup());
  }
  if (ONLY.has('web')) {
    // A fresh server process here too: the page is measured on a quiet server.
    await parley.stop();
    parley = await startParley(benchUrl);
    results.web = await runWeb({ root: ROOT, base: parley.base, token, email: ADMIN_EMAIL, log });
  }
  await parley.stop();
  if (ONLY.has('cold')) results.coldStart = await runColdStart();
  await sql(db.serverUrl, 'DROP DATABASE IF EXISTS parley_bench WITH (FORCE)');
  await db.stop();

  const text = table(results);
  process.stdout.write(text + '\n');
  publish(results, text);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  killAll();
  process.exit(1);
});
