import * as fs from 'node:fs';
import * as path from 'node:path';
import { expectError } from '@parley/testing';
import { listenToRoom, PNG_1X1, roomRowCounts, RoomsClient, withPg } from './support/rooms';
import { createTestApp, TestApp } from './support/test-app';

const MAX = 64 * 1024;

/** `POST /rooms/:code/files` (multipart, real fetch + FormData) and the files it serves back. */
describe('ephemeral room files', () => {
  let app: TestApp;
  let rooms: RoomsClient;
  beforeAll(async () => {
    app = await createTestApp({ ROOM_FILE_MAX_BYTES: String(MAX) });
    rooms = new RoomsClient(app.api);
  });
  afterAll(() => app.close());

  /** Every file under PARLEY_DATA_DIR/rooms, relative to it. */
  const filesOnDisk = (): string[] => {
    const root = path.join(app.dataDir, 'rooms');
    if (!fs.existsSync(root)) return [];
    return fs
      .readdirSync(root, { recursive: true, encoding: 'utf8' })
      .filter((p) => fs.statSync(path.join(root, p)).isFile());
  };

  it('stores an image typed from its bytes and serves it back inline, with safe headers', async () => {
    const { code } = await rooms.create();
    const listener = await listenToRoom(app, code);
    const res = await rooms.upload(code, { bytes: PNG_1X1, name: 'pixel.png', type: 'image/png' });
    const events = await listener.stop();
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: expect.any(Number),
      room_code: code,
      sender: 'anonymous',
      content: 'pixel.png',
      file_path: expect.stringMatching(new RegExp(`^/rooms/${code}/files/[0-9a-f]{24}\\.png$`)),
      file_type: 'image/png',
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/),
    });
    expect(res.headers.get('x-rate-limit-used')).toMatch(/^\d+$/);
    expect(events).toEqual([{ type: 'message', payload: res.body }]);
    expect((await rooms.messages(code)).body).toEqual([res.body]);

    const file = await rooms.download(res.body.file_path);
    expect(file.status).toBe(200);
    expect(file.bytes.equals(PNG_1X1)).toBe(true);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(file.headers.get('content-length')).toBe(String(PNG_1X1.length));
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(file.headers.get('content-security-policy')).toContain('sandbox');
    expect(file.headers.get('content-disposition')).toMatch(/^inline; filename="[0-9a-f]{24}\.png"$/);
    expect(file.headers.get('cache-control')).toBe('no-store');
    expect(filesOnDisk()).toHaveLength(1);
  });

  it('takes text files (logs, SVG, HTML) as text/plain downloads, whatever the client declares', async () => {
    const { code } = await rooms.create();
    const cases = [
      { bytes: '\u001b[32mBuild #1423 passed\u001b[0m\n', name: 'build.log', type: 'text/plain' },
      {
        bytes: '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        name: 'x.svg',
        type: 'image/svg+xml',
      },
      { bytes: '<html><script>alert(1)</script></html>', name: 'page.html', type: 'image/png' },
    ];
    for (const c of cases) {
      const res = await rooms.upload(code, c, { sender: 'CI' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ sender: 'CI', content: c.name, file_type: 'text/plain' });
      expect(res.body.file_path).toMatch(/\.txt$/);
      const file = await rooms.download(res.body.file_path);
      expect(file.bytes.toString()).toBe(c.bytes);
      expect(file.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="[0-9a-f]{24}\.txt"$/);
      expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('uses the content field as the message text when given, and takes PDF, ZIP and gzip', async () => {
    const { code } = await rooms.create();
    const pdf = await rooms.upload(
      code,
      { bytes: Buffer.from('%PDF-1.7\n%%EOF\n'), name: 'r.pdf' },
      { content: 'Weekly report' },
    );
    expect(pdf.body).toMatchObject({ content: 'Weekly report', file_type: 'application/pdf' });
    const zip = await rooms.upload(code, {
      bytes: Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)]),
      name: 'C:\\tmp\\a.zip',
    });
    expect(zip.body).toMatchObject({ content: 'a.zip', file_type: 'application/zip' });
    const gz = await rooms.upload(code, { bytes: Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0]), name: 'ünïcode.gz' });
    expect(gz.body).toMatchObject({ content: 'ünïcode.gz', file_type: 'application/gzip' });
    expect((await rooms.download(gz.body.file_path)).headers.get('content-disposition')).toMatch(/^attachment/);
  });

  it('refuses what it cannot store — and stores nothing', async () => {
    const { code } = await rooms.create();
    const before = await roomRowCounts(app.db.url);
    const files = filesOnDisk();
    const elf = { bytes: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0]), name: 'a.out' };
    expectError(await rooms.upload(code, elf), 415, 'UNSUPPORTED_FILE_TYPE');
    expectError(
      await rooms.upload(code, { bytes: Buffer.alloc(MAX + 1, 'a'), name: 'big.txt' }),
      413,
      'FILE_TOO_LARGE',
    );
    expectError(await rooms.upload(code, { bytes: Buffer.alloc(0), name: 'empty.txt' }), 400, 'FILE_EMPTY');
    expectError(await rooms.upload(code, undefined, { content: 'no file' }), 400, 'FILE_REQUIRED');
    const text = { bytes: 'ok', name: 'a.txt' };
    expectError(await rooms.upload(code, text, { title: 'x' }), 400, 'VALIDATION_FAILED');
    expectError(await rooms.upload(code, text, { sender: 'x'.repeat(101) }), 400, 'VALIDATION_FAILED');
    expectError(await rooms.upload(code, text, { content: '   ' }), 400, 'VALIDATION_FAILED');
    expectError(await rooms.upload(code, text, { content: 'x'.repeat(16_001) }), 413, 'CONTENT_TOO_LONG');
    expectError(await rooms.upload(code, text, { content: 'x'.repeat(70_000) }), 413, 'CONTENT_TOO_LONG');
    expectError(await rooms.upload('ZZZZZZZ', text), 404, 'ROOM_NOT_FOUND');

    // Two files, a file under another name, a body that is not multipart, a broken body.
    const two = new FormData();
    two.append('file', new Blob(['a']), 'a.txt');
    two.append('file', new Blob(['b']), 'b.txt');
    const post = (body: FormData | string, headers: Record<string, string> = {}) =>
      fetch(`${app.baseUrl}/rooms/${code}/files`, { method: 'POST', body, headers }).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as { code: string },
      }));
    expectError(await post(two), 400, 'INVALID_MULTIPART');
    const other = new FormData();
    other.append('attachment', new Blob(['a']), 'a.txt');
    expectError(await post(other), 400, 'INVALID_MULTIPART');
    expectError(await post('{"file":"x"}', { 'Content-Type': 'application/json' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expectError(
      await post('--x\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nabc', {
        'Content-Type': 'multipart/form-data; boundary=x',
      }),
      400,
      'INVALID_MULTIPART',
    );
    expectError(await post('abc', { 'Content-Type': 'multipart/form-data' }), 400, 'INVALID_MULTIPART');

    expect(await roomRowCounts(app.db.url)).toEqual(before);
    expect(filesOnDisk()).toEqual(files);
  });

  it('refuses a declared body far above the limit before reading it', async () => {
    const { code } = await rooms.create();
    const res = await rooms.upload(code, { bytes: Buffer.alloc(MAX + 512 * 1024, 'a'), name: 'huge.txt' });
    expectError(res, 413, 'FILE_TOO_LARGE');
    expect((await rooms.messages(code)).body).toEqual([]);
  });

  it('serves only the files of the room in the URL, and nothing once the room is gone', async () => {
    const a = await rooms.create();
    const b = await rooms.create();
    const up = await rooms.upload(a.code, { bytes: 'secret log', name: 'a.log' });
    const name = up.body.file_path.split('/').pop();
    expect((await rooms.download(`/rooms/${b.code}/files/${name}`)).status).toBe(404);
    for (const bad of ['nope.txt', `${name}x`, '..%2F..%2Fetc%2Fpasswd', `${name.slice(0, -3)}png`]) {
      expectError(await app.api.get(`/rooms/${a.code}/files/${bad}`), 404, 'FILE_NOT_FOUND');
    }
    const { id } = (await app.api.get(`/rooms/${a.code}`)).body;
    const roomDir = path.join(app.dataDir, 'rooms', String(id));
    expect(fs.readdirSync(roomDir)).toEqual([name]);
    await app.api.delete(`/rooms/${a.code}`, undefined, { 'X-Admin-Token': a.admin_token });
    expectError(await app.api.get(up.body.file_path), 404, 'ROOM_NOT_FOUND');
    // Gone from disk at once, and the tombstone no longer names files to remove.
    expect(fs.existsSync(roomDir)).toBe(false);
    const stones = await withPg(app.db.url, (pg) =>
      pg.query('SELECT files_room_id FROM ephemeral_room_tombstones WHERE files_room_id IS NOT NULL'),
    );
    expect(stones.rows).toEqual([]);
  });
});
