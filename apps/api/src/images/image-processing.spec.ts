import { deflateSync } from 'node:zlib';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { DomainError } from '@parley/common';
import { inspectRaster, makeThumbnail } from './image-processing';

const chunk = (type: string, data: Buffer) => {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
};

/** A real, valid PNG of 10000×10000 black pixels (1-bit grey) in about 12 KB: a decompression bomb. */
function pngBomb(side = 10_000): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale, deflate, no filter, no interlace
  const rows = Buffer.alloc((1 + Math.ceil(side / 8)) * side);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const codeOf = async (p: Promise<unknown>) => {
  const error: unknown = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  return error instanceof DomainError ? `${error.status} ${error.code}` : error;
};

describe('image processing with sharp', () => {
  it('makes a WebP thumbnail that fits inside 400×400 and keeps the aspect ratio', async () => {
    const photo = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#3a7' } })
      .jpeg()
      .toBuffer();
    await inspectRaster(photo, 'jpeg', 'image');
    const thumb = await sharp(await makeThumbnail(photo)).metadata();
    expect(thumb).toMatchObject({ format: 'webp', width: 400, height: 267 });
  });

  it('turns a photo upright by its EXIF orientation', async () => {
    const sideways = await sharp({ create: { width: 600, height: 300, channels: 3, background: '#000' } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    expect(await sharp(await makeThumbnail(sideways)).metadata()).toMatchObject({ width: 200, height: 400 });
  });

  it('never enlarges a small image', async () => {
    const icon = await sharp({ create: { width: 32, height: 16, channels: 4, background: '#f00a' } })
      .png()
      .toBuffer();
    expect(await sharp(await makeThumbnail(icon)).metadata()).toMatchObject({ width: 32, height: 16, hasAlpha: true });
  });

  it('refuses a decompression bomb from its header, before decoding it', async () => {
    const bomb = pngBomb();
    expect(bomb.length).toBeLessThan(64 * 1024);
    expect(await codeOf(inspectRaster(bomb, 'png', 'image'))).toBe('413 IMAGE_TOO_MANY_PIXELS');
    expect(await codeOf(makeThumbnail(bomb))).toBe('413 IMAGE_TOO_MANY_PIXELS');
  });

  it('refuses bytes that only start like an image, or are another type than their magic number', async () => {
    const fake = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('not really a jpeg')]);
    expect(await codeOf(inspectRaster(fake, 'jpeg', 'image'))).toBe('415 IMAGE_UNREADABLE');
    expect(await codeOf(makeThumbnail(fake))).toBe('415 IMAGE_UNREADABLE');
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    expect(await codeOf(inspectRaster(png, 'webp', 'image'))).toBe('415 IMAGE_UNREADABLE');
  });
});
