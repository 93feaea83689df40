import { detectImageFormat } from '../images/image-format';

/** A file type rooms accept: what it is stored and served as. */
export interface RoomFileType {
  /** `file_type` in messages. */
  mime: string;
  extension: string;
  /** Images open in the browser; everything else downloads (Content-Disposition: attachment). */
  inline: boolean;
}

const t = (mime: string, extension: string, inline = false): RoomFileType => ({ mime, extension, inline });

/**
 * The allow-list (docs/decisions/0007-ephemeral-rooms.md). Raster images display inline; PDFs,
 * archives and text download. SVG and HTML are text here: they are served as `text/plain`
 * attachments, never as documents that could run script on this origin.
 */
export const ROOM_FILE_TYPES = {
  jpeg: t('image/jpeg', 'jpg', true),
  png: t('image/png', 'png', true),
  webp: t('image/webp', 'webp', true),
  gif: t('image/gif', 'gif', true),
  pdf: t('application/pdf', 'pdf'),
  zip: t('application/zip', 'zip'),
  gzip: t('application/gzip', 'gz'),
  text: t('text/plain', 'txt'),
} as const satisfies Record<string, RoomFileType>;

const BY_MIME = new Map<string, RoomFileType>(Object.values(ROOM_FILE_TYPES).map((type) => [type.mime, type]));
export const roomFileTypeOf = (mime: string): RoomFileType | undefined => BY_MIME.get(mime);

// Control characters a text file may hold: tab, line breaks, form feed, and ESC (ANSI colours in build logs).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const BINARY_CONTROL = /[\u0000-\u0008\u000e-\u001a\u001c-\u001f]/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 (BOM allowed) without NUL or other binary control characters: a log, CSV, JSON, source… */
function isText(bytes: Buffer): boolean {
  try {
    return !BINARY_CONTROL.test(utf8.decode(bytes));
  } catch {
    return false;
  }
}

const startsWith = (bytes: Buffer, ...signature: number[]) =>
  bytes.length >= signature.length && signature.every((b, i) => bytes[i] === b);

/** The type of an upload, judged from its bytes alone — never from the client's filename or declared type. */
export function detectRoomFileType(bytes: Buffer): RoomFileType | undefined {
  const image = detectImageFormat(bytes);
  if (image === 'jpeg' || image === 'png' || image === 'webp') return ROOM_FILE_TYPES[image];
  const head = bytes.toString('latin1', 0, 6);
  if (head === 'GIF87a' || head === 'GIF89a') return ROOM_FILE_TYPES.gif;
  if (head.startsWith('%PDF-')) return ROOM_FILE_TYPES.pdf;
  // A local file header, or the end record of an empty archive.
  if (startsWith(bytes, 0x50, 0x4b, 0x03, 0x04) || startsWith(bytes, 0x50, 0x4b, 0x05, 0x06))
    return ROOM_FILE_TYPES.zip;
  if (startsWith(bytes, 0x1f, 0x8b, 0x08)) return ROOM_FILE_TYPES.gzip;
  return isText(bytes) ? ROOM_FILE_TYPES.text : undefined;
}
