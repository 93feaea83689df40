import { type ChildProcess, execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from '@parley/common';
import { createTestApp, TestApp } from './support/test-app';

/** The built bin (the jest global setup runs `npm run build`, which compiles apps/cli too). */
const CLI = path.resolve(__dirname, '../dist/apps/cli/src/main.js');

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function parley(args: string[], env: Record<string, string> = {}): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Resolves once `text` has appeared in what the child wrote to `stream` (or rejects after a while). */
function waitForOutput(child: ChildProcess, stream: 'stdout' | 'stderr', text: string | RegExp, seen: () => string) {
  return new Promise<void>((resolve, reject) => {
    const matches = () => (typeof text === 'string' ? seen().includes(text) : text.test(seen()));
    if (matches()) return resolve();
    const timer = setTimeout(() => reject(new Error(`no ${String(text)} in ${stream}:\n${seen()}`)), 20_000);
    child[stream]?.on('data', () => {
      if (matches()) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('the parley CLI (built bin, as a subprocess)', () => {
  it('has the #!/usr/bin/env node line the package bin needs', () => {
    expect(fs.readFileSync(CLI, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../package.json'), 'utf8'));
    expect(path.resolve(__dirname, '..', pkg.bin.parley)).toBe(CLI);
  });

  describe('usage errors exit 2 with the usage line on stderr', () => {
    it.each([
      [[], /no command given/],
      [['frobnicate'], /unknown command "frobnicate"/],
      [['read'], /missing --room CODE/],
      [['read', '--room', 'ABCDEFG', '--bogus'], /unknown option --bogus/],
      [['send', '--room', 'ABCDEFG'], /give exactly one of --content TEXT and --file PATH/],
      [['destroy', '--room', 'ABCDEFG'], /missing --token ADMIN_TOKEN/],
      [['read', '--room', 'ABCDEFG', '--base', 'not-a-url'], /--base must be an http\(s\) URL/],
    ])('%j', async (args, message) => {
      const result = await parley(args);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(message);
      expect(result.stderr).toMatch(/Usage: parley|Run "parley --help"/);
    });

    it('--help answers 0 on stdout, for the CLI and for each command', async () => {
      const all = await parley(['--help']);
      expect(all.code).toBe(0);
      for (const command of ['create-room', 'send', 'new-webhook', 'webhook-send', 'read', 'destroy', 'tail']) {
        expect(all.stdout).toContain(command);
        const one = await parley([command, '--help']);
        expect(one.code).toBe(0);
        expect(one.stdout).toContain(`Usage: parley ${command}`);
      }
    });
  });

  it('exits 3 when nothing listens at the base URL', async () => {
    const port = await freePort();
    const result = await parley(['read', '--room', 'ABCDEFG'], { PARLEY_BASE: `http://127.0.0.1:${port}` });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`parley: cannot reach http://127.0.0.1:${port}: ECONNREFUSED`);
  });
});
describe('the parley CLI against a live server', () => {
  let app: TestApp;
  let env: Record<string, string>;
  const children: ChildProcess[] = [];

  const createRoom = async (...args: string[]) => {
    const result = await parley(['create-room', '--json', ...args], env);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    return JSON.parse(result.stdout) as { code: string; admin_token: string; chat_url: string; name?: string };
  };
  const readJson = async (code: string) => {
    const result = await parley(['read', '--room', code, '--json'], env);
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout) as {
      id: number | string;
      sender: string;
      content: string | null;
      file_path: string | null;
    }[];
  };

  beforeAll(async () => {
    // A known port, so the webhook URLs the server prints (built from APP_URL) point back at it.
    const port = await freePort();
    app = await createTestApp({ PORT: String(port), APP_URL: `http://127.0.0.1:${port}` });
    env = { PARLEY_BASE: app.baseUrl };
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await app.close();
  });

  it('create-room prints the code, the chat URL and the one-time admin token; --name renames it', async () => {
    const human = await parley(['create-room', '--name', 'Deploy log'], env);
    expect(human.code).toBe(0);
    const code = /^Room:\s+([A-Z0-9]{7})$/m.exec(human.stdout)?.[1];
    expect(code).toBeDefined();
    expect(human.stdout).toContain(`Chat:        ${app.baseUrl}/chat/${code}`);
    expect(human.stdout).toMatch(/^Admin token: \S{16,}$/m);
    expect(human.stdout).toContain('shown only once');
    const room = await app.api.get(`/rooms/${code}`);
    expect(room.status).toBe(200);
    expect(room.body).toMatchObject({ code, name: 'Deploy log' });

    const json = await createRoom();
    expect(json.code).toMatch(/^[A-Z0-9]{7}$/);
    expect(json.chat_url).toBe(`${app.baseUrl}/chat/${json.code}`);
    expect(typeof json.admin_token).toBe('string');
  });

  it('send → read shows the message, with its sender', async () => {
    const { code } = await createRoom();
    const sent = await parley(['send', '--room', code, '--content', 'Build passed', '--sender', 'CI'], env);
    expect(sent.code).toBe(0);
    expect(sent.stdout).toMatch(new RegExp(`^Sent message to ${code}`));
    // A lower-case code works too.
    await parley(['send', '--room', code.toLowerCase(), '--content', 'second line'], env);

    const read = await parley(['read', '--room', code], env);
    expect(read.code).toBe(0);
    const lines = read.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} {2}CI: Build passed$/);
    expect(lines[1]).toMatch(/: second line$/);
    expect((await readJson(code)).map((m) => m.content)).toEqual(['Build passed', 'second line']);

    // --base wins over PARLEY_BASE.
    const port = await freePort();
    const viaFlag = await parley(['read', '--room', code, '--base', app.baseUrl], {
      PARLEY_BASE: `http://127.0.0.1:${port}`,
    });
    expect(viaFlag).toMatchObject({ code: 0, stdout: read.stdout });
  });

  it('new-webhook → webhook-send → read', async () => {
    const { code } = await createRoom();
    const minted = await parley(['new-webhook', '--room', code, '--label', 'Deploy Bot', '--json'], env);
    expect(minted.code).toBe(0);
    const hook = JSON.parse(minted.stdout);
    expect(hook).toMatchObject({ label: 'Deploy Bot', url: expect.stringContaining(`/hooks/in/${code}/`) });

    const human = await parley(['new-webhook', '--room', code, '--label', 'Other'], env);
    expect(human.stdout).toMatch(/^Token:\s+\S+$/m);
    expect(human.stdout).toMatch(new RegExp(`^URL:\\s+\\S+/hooks/in/${code}/\\S+$`, 'm'));

    const posted = await parley(['webhook-send', '--url', hook.url, '--content', '🔥 CPU > 90%'], env);
    expect(posted).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Posted message \S+\.\n$/) });
    await parley(['webhook-send', '--url', hook.url, '--content', 'custom', '--sender', 'Alertmanager'], env);

    const messages = await readJson(code);
    expect(messages.map((m) => [m.sender, m.content])).toEqual([
      ['Deploy Bot', '🔥 CPU > 90%'],
      ['Alertmanager', 'custom'],
    ]);
    const read = await parley(['read', '--room', code], env);
    expect(read.stdout).toContain('  Deploy Bot: 🔥 CPU > 90%');

    // A revoked or made-up token is the server's no: exit 1 with the status.
    const bad = await parley(['webhook-send', '--url', `${app.baseUrl}/hooks/in/${code}/nope`, '--content', 'x'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^parley: server answered 401/);
  });

  it('send --file uploads the file, and read shows it as a URL that serves it back', async () => {
    const { code } = await createRoom();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-cli-'));
    const file = path.join(dir, 'build.log');
    fs.writeFileSync(file, 'step 1 ok\nstep 2 ok\n');
    try {
      const sent = await parley(['send', '--room', code, '--file', file, '--sender', 'CI'], env);
      expect(sent.code).toBe(0);
      expect(sent.stdout).toMatch(new RegExp(`^Sent file build.log to ${code}`));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const [message] = await readJson(code);
    expect(message.file_path).toBeTruthy();
    const read = await parley(['read', '--room', code], env);
    const url = /\[file[^\]]*\] (\S+)$/m.exec(read.stdout)?.[1];
    expect(url).toBeDefined();
    const served = await fetch(url!);
    expect(served.status).toBe(200);
    expect(await served.text()).toBe('step 1 ok\nstep 2 ok\n');
  });

  it('destroy needs the admin token; afterwards reading the room fails with exit 1', async () => {
    const { code, admin_token } = await createRoom();
    const wrong = await parley(['destroy', '--room', code, '--token', 'not-the-token'], env);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^parley: server answered 403/);

    const destroyed = await parley(['destroy', '--room', code, '--token', admin_token], env);
    expect(destroyed).toMatchObject({ code: 0, stdout: `Room ${code} destroyed.\n` });

    const read = await parley(['read', '--room', code], env);
    expect(read.code).toBe(1);
    expect(read.stdout).toBe('');
    expect(read.stderr).toMatch(/^parley: server answered 404 Not Found: /);
  });

  it('--json output parses, errors included', async () => {
    const { code } = await createRoom();
    const sent = await parley(['send', '--room', code, '--content', 'json please', '--json'], env);
    expect(sent.code).toBe(0);
    expect(() => JSON.parse(sent.stdout)).not.toThrow();
    const messages = await readJson(code);
    expect(messages).toEqual([expect.objectContaining({ content: 'json please', room_code: code })]);
    const missing = await parley(['read', '--room', 'ZZZZZZZ', '--json'], env);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout)).toEqual(expect.any(Object));
  });

  it('tail prints a message posted while it runs, and ends with 0 when the room is destroyed', async () => {
    const { code, admin_token } = await createRoom();
    await parley(['send', '--room', code, '--content', 'history, not news'], env);
    const child = spawn(process.execPath, [CLI, 'tail', '--room', code], { env: { ...process.env, ...env } });
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    await waitForOutput(child, 'stderr', `Tailing room ${code}`, () => stderr);
    // Live whenever the server speaks Socket.IO; the polling fallback only where it does not.
    const engine = await fetch(`${app.baseUrl}/socket.io/?EIO=4&transport=polling`);
    await engine.arrayBuffer();
    expect(stderr).toContain(engine.ok ? `Tailing room ${code} live` : `Tailing room ${code} by polling`);

    await parley(['send', '--room', code, '--content', 'live one', '--sender', 'CI'], env);
    await waitForOutput(child, 'stdout', 'CI: live one', () => stdout).catch((error: Error) => {
      throw new Error(`${error.message}\nstderr:\n${stderr}`);
    });

    await parley(['destroy', '--room', code, '--token', admin_token], env);
    expect({ code: await exitOf(child), stderr }).toEqual({ code: 0, stderr: expect.any(String) });
    expect(stdout).not.toContain('history, not news');
    expect(stdout.trimEnd().split('\n')).toHaveLength(1);
    if (engine.ok) {
      // The gateway's own words: who is in the room (presence), then the `destroyed` event.
      expect(stderr).toContain('· in the room: parley-cli');
      expect(stderr).toContain(`Room ${code} was destroyed.`);
    } else {
      expect(stderr).toContain(`Room ${code} is gone (destroyed or expired).`);
    }
  });

  it('tail stops with 0 on Ctrl-C, and exits 1 for a room that does not exist', async () => {
    const { code } = await createRoom();
    const child = spawn(process.execPath, [CLI, 'tail', '--room', code, '--json'], { env: { ...process.env, ...env } });
    children.push(child);
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    await waitForOutput(child, 'stderr', `Tailing room ${code}`, () => stderr);
    child.kill('SIGINT');
    expect({ code: await exitOf(child), stderr }).toEqual({ code: 0, stderr: expect.any(String) });

    const missing = await parley(['tail', '--room', 'ZZZZZZZ'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^parley: server answered 404/);
  });
});
