import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { PNG_1X1, restartableServer, roomFilesOnDisk, RoomsClient, withPg } from './support/rooms';
import { createTestApp, TestApp } from './support/test-app';

const run = promisify(execFile);
const TABLES = ['ephemeral_rooms', 'ephemeral_messages', 'ephemeral_webhooks', 'ephemeral_room_tombstones'];
const hex = (s: string) => Buffer.from(s).toString('hex');

/** Every column of every row of the rooms tables as text (bytea as hex), as a backup would hold them. */
async function selectDump(url: string): Promise<string> {
  return withPg(url, async (pg) => {
    let dump = '';
    for (const table of TABLES) {
      const rows = await pg.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM ${table} t`);
      dump += rows.rows.map((r) => r.row).join('\n') + '\n';
    }
    return dump;
  });
}

/** `pg_dump --data-only` of the rooms tables, or undefined when no matching pg_dump is installed. */
async function pgDump(url: string): Promise<string | undefined> {
  try {
    const args = ['--data-only', ...TABLES.flatMap((t) => ['-t', t]), url];
    return (await run('pg_dump', args, { maxBuffer: 64 * 1024 * 1024 })).stdout;
  } catch (error) {
    process.stderr.write(`pg_dump unavailable here (${(error as Error).message.split('\n')[0]}); SELECT dump only\n`);
    return undefined;
  }
}

/** Posts one of everything that is encrypted at rest, with markers that cannot appear by chance. */
async function populate(rooms: RoomsClient) {
  const tag = randomBytes(6).toString('hex');
  const m = {
    roomName: `RoomName-${tag}`,
    sender: `Sender-${tag}`,
    content: `Content-${tag} ✅`,
    label: `Label-${tag}`,
    hookContent: `HookContent-${tag}`,
    fileName: `FileName-${tag}.log`,
    fileBody: `FileBody-${tag}\n`,
  };
  const room = await rooms.create();
  expect((await rooms.api.post(`/rooms/${room.code}/rename`, { name: m.roomName })).status).toBe(200);
  expect((await rooms.say(room.code, m.content, m.sender)).status).toBe(200);
  const hook = await rooms.hook(room.code, m.label);
  expect((await rooms.postHook(hook, { content: m.hookContent })).status).toBe(200);
  const text = await rooms.upload(room.code, { bytes: m.fileBody, name: m.fileName });
  expect(text.status).toBe(200);
  const image = await rooms.upload(room.code, { bytes: PNG_1X1, name: 'pixel.png' });
  expect(image.status).toBe(200);
  return { room, markers: m, textPath: text.body.file_path as string, imagePath: image.body.file_path as string };
}

/** The API answers in plaintext, key or no key. */
async function expectPlaintextApi(rooms: RoomsClient, p: Awaited<ReturnType<typeof populate>>) {
  const { room, markers: m } = p;
  expect((await rooms.api.get(`/rooms/${room.code}`)).body.name).toBe(m.roomName);
  const messages = (await rooms.messages(room.code)).body as Array<{ sender: string; content: string }>;
  expect(messages.map((x) => [x.sender, x.content])).toEqual([
    [m.sender, m.content],
    [m.label, m.hookContent],
    ['anonymous', m.fileName],
    ['anonymous', 'pixel.png'],
  ]);
  expect((await rooms.api.get(`/rooms/${room.code}/webhooks`)).body[0].label).toBe(m.label);
  expect((await rooms.download(p.textPath)).bytes.toString()).toBe(m.fileBody);
  expect((await rooms.download(p.imagePath)).bytes.equals(PNG_1X1)).toBe(true);
}

const diskBytes = (dataDir: string) =>
  Buffer.concat(roomFilesOnDisk(dataDir).map((f) => fs.readFileSync(path.join(dataDir, 'rooms', f))));

describe('ephemeral rooms encrypted at rest (PARLEY_ENC_KEY)', () => {
  let app: TestApp;
  let rooms: RoomsClient;
  beforeAll(async () => {
    app = await createTestApp({ PARLEY_ENC_KEY: randomBytes(32).toString('hex') });
    rooms = new RoomsClient(app.api);
  });
  afterAll(() => app.close());

  it('leaves no content, sender, room name, label or file in the database dump or on disk', async () => {
    const populated = await populate(rooms);
    await expectPlaintextApi(rooms, populated);
    const selected = await selectDump(app.db.url);
    const dumped = (await pgDump(app.db.url)) ?? '';
    if (dumped !== '') expect(dumped).toMatch(/COPY public\.ephemeral_messages .*\n\d+\t/);
    const disk = diskBytes(app.dataDir);
    expect(roomFilesOnDisk(app.dataDir)).toHaveLength(2);
    for (const secret of Object.values(populated.markers)) {
      const needle = secret.trim();
      for (const dump of [selected, dumped]) {
        expect(dump).not.toContain(needle);
        expect(dump).not.toContain(hex(needle));
      }
      expect(disk.includes(Buffer.from(needle))).toBe(false);
    }
    expect(disk.includes(PNG_1X1.subarray(0, 16))).toBe(false);
    // The code is what finds a room: it stays readable, as the seed's URLs show it anyway.
    expect(selected).toContain(populated.room.code);
  });
});

describe('ephemeral rooms without PARLEY_ENC_KEY (the control: the same dump finds everything)', () => {
  it('stores plaintext envelopes, which the dump shows', async () => {
    const app = await createTestApp();
    try {
      const rooms = new RoomsClient(app.api);
      const populated = await populate(rooms);
      await expectPlaintextApi(rooms, populated);
      const selected = await selectDump(app.db.url);
      const dumped = await pgDump(app.db.url);
      for (const key of ['roomName', 'sender', 'content', 'label', 'hookContent', 'fileName'] as const) {
        expect(selected).toContain(hex(populated.markers[key]));
        if (dumped !== undefined) expect(dumped).toContain(hex(populated.markers[key]));
      }
      expect(diskBytes(app.dataDir).includes(Buffer.from(populated.markers.fileBody))).toBe(true);
    } finally {
      await app.close();
    }
  });
});

describe('key rotation (PARLEY_ENC_KEY_PREVIOUS)', () => {
  it('reads values of the previous key and writes new ones with the current key', async () => {
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const env = await restartableServer();
    try {
      let { rooms } = await env.start({ PARLEY_ENC_KEY: oldKey.toString('base64') });
      const populated = await populate(rooms);
      await env.stop();
      ({ rooms } = await env.start({
        ZWIP_ENC_KEY: newKey.toString('hex'),
        PARLEY_ENC_KEY_PREVIOUS: oldKey.toString('hex'),
      }));
      await expectPlaintextApi(rooms, populated);
      expect((await rooms.say(populated.room.code, 'after rotation')).status).toBe(200);
      // Envelopes: format byte 1, then the 4-byte key id; two keys in use now, one per era.
      const keyIds = await withPg(env.db.url, async (pg) => {
        const rows = await pg.query(
          `SELECT DISTINCT encode(substr(content, 2, 4), 'hex') AS id FROM ephemeral_messages`,
        );
        return rows.rows.map((r) => r.id as string);
      });
      expect(keyIds).toHaveLength(2);
      const newest = await withPg(env.db.url, (pg) =>
        pg.query(`SELECT get_byte(content, 0) AS format FROM ephemeral_messages ORDER BY id DESC LIMIT 1`),
      );
      expect(newest.rows[0].format).toBe(1);
    } finally {
      await env.drop();
    }
  });
});
