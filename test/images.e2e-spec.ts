import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { ApiClient, createTestDatabase, expectError, Given, TestUser } from '@parley/testing';
import { Client } from 'pg';
import sharp from 'sharp';
import { ImagesService } from '../apps/api/src/images/images.service';
import { ImageStorage } from '../apps/api/src/images/storage/image-storage';
import { startServerProcess, waitForExit } from './support/server-process';
import { createTestApp, TestApp, testDatabaseServer } from './support/test-app';

const MiB = 1024 * 1024;
const NAME = /^\d{13}-[0-9a-f]{24}\.(jpg|png|webp|svg)$/;
const b64 = (bytes: Buffer) => bytes.toString('base64');

/** A real photo-like image (noise, so it does not compress to nothing). */
const photo = (format: 'jpeg' | 'png' | 'webp', width = 1200, height = 800) =>
  sharp({
    create: { width, height, channels: 3, background: '#4a7', noise: { type: 'gaussian', mean: 120, sigma: 40 } },
  })
    .toFormat(format)
    .toBuffer();

const SVG = Buffer.from(
  '<?xml version="1.0" encoding="UTF-8"?>\n<!-- drawn by hand -->\n' +
    '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80" onload="alert(document.cookie)">' +
    '<script>fetch("/auth/me")</script><rect width="120" height="80" fill="teal"/></svg>\n',
);

const pngChunk = (type: string, data: Buffer) => {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const frame = Buffer.alloc(8);
  frame.writeUInt32BE(data.length, 0);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([frame.subarray(0, 4), body, crc]);
};
/** A valid 10000×10000 1-bit PNG of about 12 KB: 100 megapixels once decoded. */
const pngBomb = () => {
  const side = 10_000;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr.set([1, 0, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.alloc((1 + side / 8) * side), { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
};

interface Download {
  status: number;
  headers: Headers;
  bytes: Buffer;
  body: any;
}

const filesUnder = (dir: string): string[] =>
  fs.existsSync(dir)
    ? fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => fs.statSync(path.join(dir, f)).isFile())
    : [];

describe('images', () => {
  let app: TestApp;
  let db: Client;
  let admin: TestUser;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let outsider: TestUser;
  let channel: { id: string };
  let otherChannel: { id: string };
  let dm: { id: string };
  let channelMessageId: string;
  let replyId: string;
  let dmMessageId: string;

  const get = async (urlPath: string, auth: { token?: string; query?: boolean } = {}): Promise<Download> => {
    const url = auth.query
      ? `${app.baseUrl}${urlPath}${urlPath.includes('?') ? '&' : '?'}token=${auth.token}`
      : app.baseUrl + urlPath;
    const res = await fetch(url, {
      headers: auth.token && !auth.query ? { Authorization: `Bearer ${auth.token}` } : {},
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    const isJson = (res.headers.get('content-type') ?? '').includes('application/json');
    return { status: res.status, headers: res.headers, bytes, body: isJson ? JSON.parse(bytes.toString()) : undefined };
  };
  const upload = (user: TestUser, urlPath: string, image: Buffer, extra: Record<string, unknown> = {}) =>
    user.api.post(urlPath, { filename: 'photo.jpg', image: b64(image), ...extra });
  const uploaded = async (user: TestUser, urlPath: string, image: Buffer, extra: Record<string, unknown> = {}) => {
    const res = await upload(user, urlPath, image, extra);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: true, filename: expect.stringMatching(NAME) });
    return res.body.filename as string;
  };
  const state = async () => ({
    rows: Number((await db.query('SELECT count(*) AS n FROM images')).rows[0].n),
    files: filesUnder(path.join(app.dataDir, 'images')).sort(),
  });

  beforeAll(async () => {
    app = await createTestApp();
    db = new Client({ connectionString: app.db.url });
    await db.connect();
    admin = await app.given.workspace();
    [alice, bob, carol] = [await app.given.member(admin), await app.given.member(admin), await app.given.member(admin)];
    outsider = await app.given.workspace();
    channel = await app.given.channel(admin);
    otherChannel = await app.given.channel(admin);
    dm = (await alice.api.post('/conversations', { targetUserId: bob.id })).body.conversation;
    channelMessageId = (await alice.api.post(`/channels/${channel.id}/messages`, { content: 'look' })).body.message.id;
    replyId = (await bob.api.post(`/messages/${channelMessageId}/thread`, { content: 'where?' })).body.reply.id;
    dmMessageId = (await alice.api.post(`/conversations/${dm.id}/messages`, { content: 'psst' })).body.message.id;
  });
  afterAll(async () => {
    await db.end();
    await app.close();
  });

  describe('upload and download', () => {
    it.each(['jpeg', 'png', 'webp'] as const)(
      'stores a real 1200×800 %s and serves it and a smaller WebP thumbnail to members',
      async (format) => {
        const original = await photo(format);
        // The client's name says SVG and climbs directories: neither the type nor the stored name follow it.
        const filename = await uploaded(alice, `/channels/${channel.id}/messages/image`, original, {
          filename: '../../evil.svg',
        });
        expect(filename.endsWith(`.${format === 'jpeg' ? 'jpg' : format}`)).toBe(true);

        const full = await get(`/channels/${channel.id}/messages/image/${filename}`, { token: bob.token });
        expect(full.status).toBe(200);
        expect(full.headers.get('content-type')).toBe(`image/${format}`);
        expect(full.headers.get('content-length')).toBe(String(original.length));
        expect(full.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
        expect(full.headers.get('x-content-type-options')).toBe('nosniff');
        expect(full.headers.get('content-disposition')).toBe(`inline; filename="${filename}"`);
        expect(full.bytes.equals(original)).toBe(true);

        const thumb = await get(`/channels/${channel.id}/messages/image/${filename}?size=thumb`, { token: bob.token });
        expect(thumb.status).toBe(200);
        expect(thumb.headers.get('content-type')).toBe('image/webp');
        expect(thumb.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
        expect(await sharp(thumb.bytes).metadata()).toMatchObject({ format: 'webp', width: 400, height: 267 });
        expect(thumb.bytes.length).toBeLessThan(original.length);
      },
    );

    it('keeps the bytes on disk under the workspace and conversation, private to the server user', async () => {
      const filename = await uploaded(alice, `/channels/${channel.id}/messages/image`, await photo('png', 300, 200));
      const dir = path.join(app.dataDir, 'images', admin.workspace.id, channel.id);
      expect(fs.statSync(path.join(dir, filename)).mode & 0o777).toBe(0o600);
      expect(fs.statSync(path.join(dir, `${filename}.thumb`)).mode & 0o777).toBe(0o600);
      for (const d of [dir, path.dirname(dir), path.join(app.dataDir, 'images')]) {
        expect(fs.statSync(d).mode & 0o777).toBe(0o700);
      }
      expect(fs.readdirSync(dir).filter((f) => f.startsWith('.tmp'))).toEqual([]);
      const row = await db.query('SELECT * FROM images WHERE filename = $1', [filename]);
      expect(row.rows[0]).toMatchObject({
        workspace_id: admin.workspace.id,
        conversation_id: channel.id,
        content_type: 'image/png',
        thumb_content_type: 'image/webp',
        uploaded_by: alice.id,
      });
    });

    it('serves an SVG as itself (also as its thumbnail) under a sandboxing CSP and nosniff', async () => {
      const filename = await uploaded(alice, `/channels/${channel.id}/messages/image`, SVG, { filename: 'x.png' });
      expect(filename.endsWith('.svg')).toBe(true);
      for (const query of ['', '?size=thumb']) {
        const res = await get(`/channels/${channel.id}/messages/image/${filename}${query}`, { token: bob.token });
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe('image/svg+xml');
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        const csp = res.headers.get('content-security-policy') ?? '';
        expect(csp).toMatch(/(^|;\s*)sandbox(\s*;|$)/);
        expect(csp).toContain("default-src 'none'");
        expect(csp).not.toContain('allow-scripts');
        expect(res.bytes.equals(SVG)).toBe(true);
      }
    });

    it('keeps a thumbnail the client sent, if it is a raster image', async () => {
      const image = await photo('png', 800, 600);
      const ownThumb = await photo('jpeg', 100, 75);
      const filename = await uploaded(alice, `/channels/${channel.id}/messages/image`, image, {
        thumbnail: b64(ownThumb),
      });
      const thumb = await get(`/channels/${channel.id}/messages/image/${filename}?size=thumb`, { token: alice.token });
      expect(thumb.headers.get('content-type')).toBe('image/jpeg');
      expect(thumb.bytes.equals(ownThumb)).toBe(true);

      // An SVG keeps a raster thumbnail sent with it.
      const svgName = await uploaded(alice, `/channels/${channel.id}/messages/image`, SVG, {
        thumbnail: b64(ownThumb),
      });
      const svgThumb = await get(`/channels/${channel.id}/messages/image/${svgName}?size=thumb`, { token: bob.token });
      expect(svgThumb.headers.get('content-type')).toBe('image/jpeg');

      // A small file of many pixels is no thumbnail: it is made into one.
      const huge = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#fff' } })
        .png()
        .toBuffer();
      expect(huge.length).toBeLessThan(MiB);
      const hugeName = await uploaded(alice, `/channels/${channel.id}/messages/image`, image, { thumbnail: b64(huge) });
      const shrunk = await get(`/channels/${channel.id}/messages/image/${hugeName}?size=thumb`, { token: alice.token });
      expect(await sharp(shrunk.bytes).metadata()).toMatchObject({ format: 'webp', width: 400, height: 300 });

      const before = await state();
      const path_ = `/channels/${channel.id}/messages/image`;
      expectError(await upload(alice, path_, image, { thumbnail: b64(SVG) }), 415, 'UNSUPPORTED_THUMBNAIL_TYPE');
      expectError(
        await upload(alice, path_, image, { thumbnail: b64(Buffer.from('hi')) }),
        415,
        'UNSUPPORTED_THUMBNAIL_TYPE',
      );
      expectError(await upload(alice, path_, image, { thumbnail: '***' }), 400, 'INVALID_BASE64');
      const big = await photo('png', 1000, 1000);
      expect(big.length).toBeGreaterThan(MiB);
      expectError(await upload(alice, path_, image, { thumbnail: b64(big) }), 413, 'THUMBNAIL_TOO_LARGE');
      expect(await state()).toEqual(before);
    });

    it('rejects a bad size parameter and serves the image for size=full', async () => {
      const filename = await uploaded(alice, `/channels/${channel.id}/messages/image`, await photo('jpeg', 50, 50));
      const url = `/channels/${channel.id}/messages/image/${filename}`;
      expect((await get(`${url}?size=full`, { token: bob.token })).headers.get('content-type')).toBe('image/jpeg');
      const bad = await get(`${url}?size=huge`, { token: bob.token });
      expect([bad.status, bad.body.code]).toEqual([400, 'INVALID_IMAGE_SIZE']);
    });
  });

  describe('threads', () => {
    it('stores a thread image in the thread’s conversation, downloaded through its channel route', async () => {
      const image = await photo('webp', 640, 480);
      const filename = await uploaded(bob, `/messages/${channelMessageId}/thread/image`, image);
      const res = await get(`/channels/${channel.id}/messages/image/${filename}`, { token: carol.token });
      expect(res.status).toBe(200);
      expect(res.bytes.equals(image)).toBe(true);
      const thumb = await get(`/channels/${channel.id}/messages/image/${filename}?size=thumb`, { token: carol.token });
      expect(await sharp(thumb.bytes).metadata()).toMatchObject({ width: 400, height: 300 });
    });

    it('does the same for a thread in a DM, for its participants only', async () => {
      const filename = await uploaded(bob, `/messages/${dmMessageId}/thread/image`, await photo('png', 200, 100));
      expect((await get(`/conversations/${dm.id}/messages/image/${filename}`, { token: alice.token })).status).toBe(
        200,
      );
      expect((await get(`/conversations/${dm.id}/messages/image/${filename}`, { token: carol.token })).status).toBe(
        404,
      );
      expectError(await upload(carol, `/messages/${dmMessageId}/thread/image`, SVG), 404, 'MESSAGE_NOT_FOUND');
    });

    it('refuses a thread under a reply, like replying does', async () => {
      expectError(await upload(alice, `/messages/${replyId}/thread/image`, SVG), 400, 'THREAD_PARENT_NOT_TOP_LEVEL');
      expectError(await upload(alice, `/messages/999999999/thread/image`, SVG), 404, 'MESSAGE_NOT_FOUND');
      expectError(await upload(alice, `/messages/not-an-id/thread/image`, SVG), 404, 'MESSAGE_NOT_FOUND');
    });
  });

  describe('DMs', () => {
    it('are uploaded and downloaded by participants only — not another member, not even an admin', async () => {
      const image = await photo('jpeg', 300, 300);
      const filename = await uploaded(alice, `/conversations/${dm.id}/messages/image`, image);
      const url = `/conversations/${dm.id}/messages/image/${filename}`;
      const asBob = await get(url, { token: bob.token });
      expect(asBob.status).toBe(200);
      expect(asBob.bytes.equals(image)).toBe(true);
      expect((await get(`${url}?size=thumb`, { token: bob.token })).headers.get('content-type')).toBe('image/webp');

      for (const stranger of [carol, admin]) {
        for (const query of ['', '?size=thumb']) {
          const res = await get(url + query, { token: stranger.token });
          expect([res.status, res.body.code]).toEqual([404, 'CONVERSATION_NOT_FOUND']);
        }
        expectError(
          await upload(stranger, `/conversations/${dm.id}/messages/image`, image),
          404,
          'CONVERSATION_NOT_FOUND',
        );
      }
    });

    it('never cross between the channel and DM routes', async () => {
      const dmImage = await uploaded(alice, `/conversations/${dm.id}/messages/image`, SVG);
      const channelImage = await uploaded(alice, `/channels/${channel.id}/messages/image`, SVG);
      expect((await get(`/channels/${dm.id}/messages/image/${dmImage}`, { token: alice.token })).status).toBe(404);
      expect(
        (await get(`/conversations/${channel.id}/messages/image/${channelImage}`, { token: alice.token })).status,
      ).toBe(404);
      expectError(await upload(alice, `/channels/${dm.id}/messages/image`, SVG), 404, 'CHANNEL_NOT_FOUND');
      expectError(
        await upload(alice, `/conversations/${channel.id}/messages/image`, SVG),
        404,
        'CONVERSATION_NOT_FOUND',
      );
    });
  });

  describe('validation: bad input is refused and nothing is written', () => {
    let before: { rows: number; files: string[] };
    const url = () => `/channels/${channel.id}/messages/image`;
    beforeAll(async () => {
      before = await state();
    });

    it('judges the type from the bytes: a text file called .png, a GIF, a PDF are 415', async () => {
      expectError(
        await upload(alice, url(), Buffer.from('just some text\n'), { filename: 'notes.png' }),
        415,
        'UNSUPPORTED_IMAGE_TYPE',
      );
      const gif = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#000' } })
        .gif()
        .toBuffer();
      expectError(await upload(alice, url(), gif, { filename: 'a.jpg' }), 415, 'UNSUPPORTED_IMAGE_TYPE');
      expectError(
        await upload(alice, url(), Buffer.from('%PDF-1.7\n'), { filename: 'a.webp' }),
        415,
        'UNSUPPORTED_IMAGE_TYPE',
      );
      const html = Buffer.from('<html><body><svg></svg><script>alert(1)</script></body></html>');
      expectError(await upload(alice, url(), html, { filename: 'a.svg' }), 415, 'UNSUPPORTED_IMAGE_TYPE');
    });

    it('refuses a file that only starts like an image, and a decompression bomb', async () => {
      const fake = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('no jpeg after all')]);
      expectError(await upload(alice, url(), fake), 415, 'IMAGE_UNREADABLE');
      const bomb = pngBomb();
      expect(bomb.length).toBeLessThan(64 * 1024);
      expectError(await upload(alice, url(), bomb), 413, 'IMAGE_TOO_MANY_PIXELS');
    });

    it('refuses more than 10 MB decoded with 413, and a body past the upload limit too', async () => {
      const png = await photo('png', 100, 100);
      const tooBig = Buffer.concat([png, Buffer.alloc(10 * MiB + 1 - png.length)]);
      expectError(await upload(alice, url(), tooBig), 413, 'IMAGE_TOO_LARGE');
      expectError(
        await alice.api.post(url(), { filename: 'x', image: 'A'.repeat(17 * MiB) }),
        413,
        'PAYLOAD_TOO_LARGE',
      );
    });

    it('refuses malformed base64 and missing or unknown fields with 400', async () => {
      expectError(
        await alice.api.post(url(), { filename: 'a.png', image: 'not base64 at all!' }),
        400,
        'INVALID_BASE64',
      );
      expectError(await alice.api.post(url(), { filename: 'a.png', image: 'QUJD=' }), 400, 'INVALID_BASE64');
      expectError(await alice.api.post(url(), { filename: 'a.png' }), 400, 'VALIDATION_FAILED');
      expectError(await alice.api.post(url(), { filename: 'a.png', image: '' }), 400, 'VALIDATION_FAILED');
      expectError(await alice.api.post(url(), { image: b64(SVG) }), 400, 'VALIDATION_FAILED');
      expectError(await alice.api.post(url(), { filename: 'a', image: 42 }), 400, 'VALIDATION_FAILED');
      expectError(await alice.api.post(url(), { filename: 'a', image: b64(SVG), extra: 1 }), 400, 'VALIDATION_FAILED');
      expectError(await alice.api.post(url(), '{"filename": "a", "image": '), 400, 'INVALID_JSON');
      expectError(
        await alice.api.post(url(), b64(SVG), { 'Content-Type': 'text/plain' }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      );
    });

    it('removes what it wrote when a write fails half-way, or the channel goes while uploading', async () => {
      const storage = app.server.app.get(ImageStorage);
      const put = storage.put.bind(storage);
      const spy = jest.spyOn(storage, 'put');
      try {
        spy.mockImplementation(async (key, bytes) => {
          if (key.endsWith('.thumb')) throw new Error('disk full');
          return put(key, bytes);
        });
        expectError(await upload(alice, url(), await photo('png', 300, 200)), 500, 'INTERNAL');

        const doomed = await app.given.channel(admin);
        let release = () => {};
        const gate = new Promise<void>((resolve) => (release = resolve));
        let arrived = () => {};
        const reached = new Promise<void>((resolve) => (arrived = resolve));
        spy.mockImplementation(async (key, bytes) => {
          await put(key, bytes);
          arrived();
          await gate;
        });
        const pending = upload(alice, `/channels/${doomed.id}/messages/image`, await photo('jpeg', 300, 200));
        await reached;
        expect((await admin.api.delete(`/channels/${doomed.id}`)).status).toBe(200);
        release();
        expectError(await pending, 404, 'CHANNEL_NOT_FOUND');
      } finally {
        spy.mockRestore();
      }
    });

    it('left no file and no row behind', async () => {
      expect(await state()).toEqual(before);
    });
  });

  it('accepts an image just under 10 MB, and only the upload routes take bodies that large', async () => {
    // 1860×1860 RGB noise, stored uncompressed: about 10.38 MB of real PNG.
    const big = await sharp({
      create: {
        width: 1860,
        height: 1860,
        channels: 3,
        background: '#888',
        noise: { type: 'gaussian', mean: 128, sigma: 60 },
      },
    })
      .png({ compressionLevel: 0 })
      .toBuffer();
    expect(big.length).toBeGreaterThan(10 * 1000 * 1000);
    expect(big.length).toBeLessThanOrEqual(10 * MiB);
    const filename = await uploaded(alice, `/conversations/${dm.id}/messages/image`, big);
    const thumb = await get(`/conversations/${dm.id}/messages/image/${filename}?size=thumb`, { token: bob.token });
    expect(await sharp(thumb.bytes).metadata()).toMatchObject({ width: 400, height: 400 });

    const longMessage = await alice.api.post(`/channels/${channel.id}/messages`, {
      content: 'x',
      pad: 'y'.repeat(2 * MiB),
    });
    expectError(longMessage, 413, 'PAYLOAD_TOO_LARGE');
  });

  describe('names and access', () => {
    let filename: string;
    beforeAll(async () => {
      filename = await uploaded(alice, `/channels/${channel.id}/messages/image`, await photo('jpeg', 64, 64));
    });

    it('answers 404 for an unknown name, a name of another conversation, and path tricks', async () => {
      const base = `/channels/${channel.id}/messages/image`;
      fs.writeFileSync(path.join(app.dataDir, 'images', 'planted.png'), 'not yours');
      for (const name of [
        '1706234567890-0123456789abcdef01234567.jpg',
        'photo.jpg',
        '..%2F..%2F..%2Fjwt-secret',
        '..%2Fplanted.png',
        '..%2F..%2Fplanted.png',
        `..%2F${channel.id}%2F${filename}`,
        `${filename}.thumb`,
        `${filename}%00`,
        encodeURIComponent(`../${otherChannel.id}/${filename}`),
      ]) {
        const res = await get(`${base}/${name}`, { token: alice.token });
        expect([name, res.status]).toEqual([name, 404]);
      }
      const elsewhere = await get(`/channels/${otherChannel.id}/messages/image/${filename}`, { token: alice.token });
      expect([elsewhere.status, elsewhere.body.code]).toEqual([404, 'IMAGE_NOT_FOUND']);
    });

    it('needs a token on every route; downloads also take it as ?token=, uploads do not', async () => {
      const anonymous = new ApiClient(app.baseUrl);
      const body = { filename: 'a.svg', image: b64(SVG) };
      for (const p of [
        `/channels/${channel.id}/messages/image`,
        `/messages/${channelMessageId}/thread/image`,
        `/conversations/${dm.id}/messages/image`,
      ]) {
        expectError(await anonymous.post(p, body), 401, 'AUTH_REQUIRED');
        expectError(await anonymous.post(`${p}?token=${alice.token}`, body), 401, 'AUTH_REQUIRED');
      }
      const url = `/channels/${channel.id}/messages/image/${filename}`;
      expect((await get(url)).status).toBe(401);
      expect((await get(`/conversations/${dm.id}/messages/image/${filename}`)).status).toBe(401);
      expect((await get(url, { token: 'not-a-jwt', query: true })).body.code).toBe('INVALID_TOKEN');

      const viaQuery = await get(url, { token: bob.token, query: true });
      expect(viaQuery.status).toBe(200);
      expect(viaQuery.headers.get('content-type')).toBe('image/jpeg');
      expect((await get(`${url}?size=thumb`, { token: bob.token, query: true })).status).toBe(200);
    });

    it('hides every route from another workspace', async () => {
      const dmName = await uploaded(alice, `/conversations/${dm.id}/messages/image`, SVG);
      expectError(await upload(outsider, `/channels/${channel.id}/messages/image`, SVG), 404, 'CHANNEL_NOT_FOUND');
      expectError(await upload(outsider, `/messages/${channelMessageId}/thread/image`, SVG), 404, 'MESSAGE_NOT_FOUND');
      expectError(await upload(outsider, `/conversations/${dm.id}/messages/image`, SVG), 404, 'CONVERSATION_NOT_FOUND');
      for (const [url, code] of [
        [`/channels/${channel.id}/messages/image/${filename}`, 'CHANNEL_NOT_FOUND'],
        [`/channels/${channel.id}/messages/image/${filename}?size=thumb`, 'CHANNEL_NOT_FOUND'],
        [`/conversations/${dm.id}/messages/image/${dmName}`, 'CONVERSATION_NOT_FOUND'],
      ]) {
        for (const query of [false, true]) {
          const res = await get(url, { token: outsider.token, query });
          expect([url, res.status, res.body.code]).toEqual([url, 404, code]);
        }
      }
    });
  });

  describe('ImagesService.requireAttachable', () => {
    let images: ImagesService;
    beforeAll(() => {
      images = app.server.app.get(ImagesService);
    });

    it('accepts names uploaded to that conversation, once each, in order', async () => {
      const a = await uploaded(alice, `/channels/${channel.id}/messages/image`, SVG);
      const b = await uploaded(bob, `/messages/${channelMessageId}/thread/image`, SVG);
      expect(await images.requireAttachable(admin.workspace.id, channel.id, [b, a, b])).toEqual([b, a]);
      expect(await images.requireAttachable(admin.workspace.id, channel.id, [])).toEqual([]);
    });

    it('refuses a name from another conversation or workspace, a made-up one, and too many', async () => {
      const dmName = await uploaded(alice, `/conversations/${dm.id}/messages/image`, SVG);
      const channelName = await uploaded(alice, `/channels/${channel.id}/messages/image`, SVG);
      const refused = (workspaceId: string, conversationId: string, names: unknown[]) =>
        images.requireAttachable(workspaceId, conversationId, names).then(
          () => 'accepted',
          (e: { status: number; code: string }) => `${e.status} ${e.code}`,
        );
      expect(await refused(admin.workspace.id, channel.id, [channelName, dmName])).toBe('400 IMAGE_NOT_UPLOADED');
      expect(await refused(admin.workspace.id, otherChannel.id, [channelName])).toBe('400 IMAGE_NOT_UPLOADED');
      expect(await refused(outsider.workspace.id, channel.id, [channelName])).toBe('400 IMAGE_NOT_UPLOADED');
      expect(await refused(admin.workspace.id, channel.id, ['photo.jpg'])).toBe('400 IMAGE_NOT_UPLOADED');
      expect(await refused(admin.workspace.id, channel.id, [42])).toBe('400 IMAGE_NOT_UPLOADED');
      expect(await refused(admin.workspace.id, channel.id, ['1706234567890-0123456789abcdef01234567.png'])).toBe(
        '400 IMAGE_NOT_UPLOADED',
      );
      const eleven = Array.from(
        { length: 11 },
        (_, i) => `17062345678${String(i).padStart(2, '0')}-0123456789abcdef01234567.png`,
      );
      expect(await refused(admin.workspace.id, channel.id, eleven)).toBe('400 TOO_MANY_IMAGES');
    });
  });
});

describe('image download logs', () => {
  it('never write the ?token= of a download', async () => {
    const { serverUrl, template } = testDatabaseServer();
    const db = await createTestDatabase(serverUrl, template);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-images-log-'));
    // The built server as `npm start` runs it, logging every request line.
    const server = await startServerProcess({
      DATABASE_URL: db.url,
      PARLEY_DATA_DIR: dataDir,
      AUTH_MODES: 'dev',
      LOG_LEVEL: 'info',
      DATABASE_POOL_SIZE: '3',
    });
    try {
      const given = new Given(new ApiClient(server.baseUrl));
      const admin = await given.admin();
      const channel = await given.channel(admin);
      const res = await admin.api.post(`/channels/${channel.id}/messages/image`, { filename: 'a', image: b64(SVG) });
      expect(res.status).toBe(200);
      const url = `${server.baseUrl}/channels/${channel.id}/messages/image/${res.body.filename}`;
      expect((await fetch(`${url}?token=${admin.token}`)).status).toBe(200);
      expect((await fetch(`${url}?size=thumb&token=${admin.token}`)).status).toBe(200);
      expect(
        (await fetch(`${server.baseUrl}/channels/${channel.id}/messages/image/nope.png?token=${admin.token}`)).status,
      ).toBe(404);

      // The access lines of the three downloads (the 404 one at warn level).
      const downloads = () =>
        server
          .output()
          .split('\n')
          .filter((l) => l.includes('"req":') && l.includes('/messages/image/'));
      const deadline = Date.now() + 5000;
      while (downloads().length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(downloads()).toHaveLength(3);
      expect(downloads().every((l) => l.includes('token=[REDACTED]'))).toBe(true);
      expect(server.output()).not.toContain(admin.token);
      expect(server.output()).not.toContain(admin.token.split('.')[2]);
    } finally {
      server.child.kill('SIGTERM');
      await waitForExit(server.child);
      await db.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
