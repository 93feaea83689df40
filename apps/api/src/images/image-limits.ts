/** What an upload may be (docs/decisions/0005-images.md). */
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
/** A client's own thumbnail: a preview, not a second copy of the image. */
export const MAX_THUMBNAIL_BYTES = 1024 * 1024;
/**
 * Decoded pixels sharp may open: 50 MP covers a 48 MP phone photo. Beyond it a small file can
 * still expand to gigabytes of memory (a decompression bomb), so it is refused before decoding.
 */
export const MAX_INPUT_PIXELS = 50_000_000;
/** Generated thumbnails fit inside this square (never enlarged). */
export const THUMBNAIL_SIZE = 400;
export const MAX_IMAGES_PER_MESSAGE = 10;

export const base64LengthOf = (bytes: number): number => Math.ceil(bytes / 3) * 4;

/**
 * The upload routes alone take bodies this large: the image and a client thumbnail in base64,
 * line-wrapped base64 (`base64` wraps at 76 columns, +3% with CRLF) and the rest of the JSON all
 * fit. Every other route keeps the small JSON_BODY_LIMIT.
 */
export const IMAGE_UPLOAD_BODY_LIMIT = '16mb';
// Express matches routes case-insensitively and with an optional trailing slash; so do these.
export const IMAGE_UPLOAD_PATHS: readonly RegExp[] = [
  /^\/channels\/[^/]+\/messages\/image\/?$/i,
  /^\/messages\/[^/]+\/thread\/image\/?$/i,
  /^\/conversations\/[^/]+\/messages\/image\/?$/i,
];
