export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'svg';
export type RasterFormat = Exclude<ImageFormat, 'svg'>;

export const CONTENT_TYPES: Readonly<Record<ImageFormat, string>> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  svg: 'image/svg+xml',
};

export const EXTENSIONS: Readonly<Record<ImageFormat, string>> = { jpeg: 'jpg', png: 'png', webp: 'webp', svg: 'svg' };

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
// An SVG's prolog (XML declaration, comments, doctype) must end and its root begin within this.
const SVG_SNIFF_BYTES = 64 * 1024;

/**
 * The type of an upload, judged from its bytes alone — never from the client's filename or a
 * declared type. The magic numbers are the ones libvips itself sniffs, so a file that passes here
 * is opened by the matching decoder.
 */
export function detectImageFormat(bytes: Buffer): ImageFormat | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return 'png';
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') {
    return 'webp';
  }
  return isSvg(bytes) ? 'svg' : undefined;
}

/**
 * An SVG is text whose root element is `<svg`, after an optional BOM, XML declaration, comments,
 * processing instructions and a doctype. A doctype with an internal subset (`[...]`, where entity
 * definitions live) is refused: nothing legitimate needs it and it is how entity-expansion bombs
 * start. UTF-16 SVGs are not accepted.
 */
export function isSvg(bytes: Buffer): boolean {
  const text = bytes.toString('utf8', 0, Math.min(bytes.length, SVG_SNIFF_BYTES));
  let i = text.startsWith('\uFEFF') ? 1 : 0;
  const skipSpace = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i])) i++;
  };
  // Moves past `close` (searching from `from`), or reports that the prolog never ends.
  const skipPast = (close: string, from: number): boolean => {
    const end = text.indexOf(close, from);
    if (end < 0) return false;
    i = end + close.length;
    return true;
  };
  let seenDoctype = false;
  for (;;) {
    skipSpace();
    if (text.startsWith('<!--', i)) {
      if (!skipPast('-->', i + 4)) return false;
    } else if (text.startsWith('<?', i)) {
      if (!skipPast('?>', i + 2)) return false;
    } else if (text.startsWith('<!DOCTYPE', i) && !seenDoctype) {
      const end = text.indexOf('>', i);
      if (end < 0 || text.slice(i, end).includes('[')) return false;
      i = end + 1;
      seenDoctype = true;
    } else {
      return /^<svg[\s/>]/.test(text.slice(i, i + 5));
    }
  }
}

const DATA_URL_PREFIX = /^data:[\w.+/-]{0,100}(;[\w=.+-]{1,100}){0,4};base64,/;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

export type Base64Result = { ok: true; bytes: Buffer } | { ok: false; reason: 'too-large' | 'malformed' };

/**
 * Strict-enough base64: the standard or URL-safe alphabet, optional padding, line breaks allowed
 * (the `base64` tool wraps lines), an optional `data:…;base64,` prefix (what browsers' FileReader
 * produces; its declared type is ignored). The decoded size is computed from the length first, so
 * an oversized image is refused before a byte is decoded.
 */
export function decodeBase64(input: string, maxBytes: number): Base64Result {
  // Cheap bound before any copy: even line-wrapped (CRLF every 76 columns) the text of an
  // acceptable image is not longer than this.
  if (input.length > (Math.ceil(maxBytes / 3) * 4 * 78) / 76 + 200) return { ok: false, reason: 'too-large' };
  const text = input.replace(DATA_URL_PREFIX, '').replace(/[ \t\r\n]+/g, '');
  if (!BASE64.test(text)) return { ok: false, reason: 'malformed' };
  const digits = text.replace(/=+$/, '').length;
  // Padding, when present, must make a whole number of 4-character groups; one leftover digit never encodes a byte.
  if (digits % 4 === 1 || (digits !== text.length && text.length % 4 !== 0)) return { ok: false, reason: 'malformed' };
  if (Math.floor((digits * 3) / 4) > maxBytes) return { ok: false, reason: 'too-large' };
  const bytes = Buffer.from(text, 'base64');
  return bytes.length === 0 ? { ok: false, reason: 'malformed' } : { ok: true, bytes };
}
