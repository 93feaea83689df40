import { PayloadTooLargeError } from '@parley/common';
import sharp from 'sharp';
import { UnsupportedImageError } from './image-errors';
import { RasterFormat } from './image-format';
import { MAX_INPUT_PIXELS, THUMBNAIL_SIZE } from './image-limits';

const tooManyPixels = () =>
  new PayloadTooLargeError(
    `Images may have at most ${MAX_INPUT_PIXELS / 1_000_000} megapixels`,
    'IMAGE_TOO_MANY_PIXELS',
  );
// sharp's words for limitInputPixels (src/common.cc); there is no error code to test instead.
const isPixelLimit = (error: unknown) => error instanceof Error && error.message.includes('exceeds pixel limit');
const unreadable = (what: string) =>
  new UnsupportedImageError(`The ${what} could not be read as an image`, 'IMAGE_UNREADABLE');

/**
 * Reads only the header of raster bytes: a file whose type matched its magic number but that
 * libvips cannot open is refused, and so is a pixel bomb, before a single pixel is decoded.
 */
export async function inspectRaster(
  bytes: Buffer,
  expected: RasterFormat,
  what: string,
): Promise<{ width: number; height: number }> {
  const meta = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS })
    .metadata()
    .catch((error: unknown) => {
      throw isPixelLimit(error) ? tooManyPixels() : unreadable(what);
    });
  if (meta.format !== expected || !meta.width || !meta.height) throw unreadable(what);
  // Opening already checks the limit; this keeps the rule if sharp ever stops checking on metadata().
  if (meta.width * meta.height > MAX_INPUT_PIXELS) throw tooManyPixels();
  return { width: meta.width, height: meta.height };
}

/**
 * A WebP that fits inside THUMBNAIL_SIZE², turned upright by its EXIF orientation and stripped of
 * metadata (no GPS position in a preview). WebP keeps PNG transparency and is several times
 * smaller than a JPEG or PNG of the same size; only the first frame of an animation is used.
 */
export async function makeThumbnail(bytes: Buffer): Promise<Buffer> {
  try {
    // failOn 'error' (not sharp's stricter 'warning'): phone cameras write JPEGs that libjpeg warns about.
    return await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error', autoOrient: true })
      .resize({ width: THUMBNAIL_SIZE, height: THUMBNAIL_SIZE, fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 80 })
      .toBuffer();
  } catch (error) {
    throw isPixelLimit(error) ? tooManyPixels() : unreadable('image');
  }
}
