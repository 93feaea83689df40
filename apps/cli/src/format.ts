/** A room message as `GET /rooms/:code/messages` and the socket's `message` event carry it. */
export interface RoomMessage {
  id: number | string;
  sender?: string | null;
  content?: string | null;
  file_path?: string | null;
  file_type?: string | null;
  /** The seed's zone-less ISO form; epoch milliseconds are accepted too. */
  created_at?: string | number | null;
}

export function isRoomMessage(value: unknown): value is RoomMessage {
  if (!value || typeof value !== 'object') return false;
  const id = (value as { id?: unknown }).id;
  return typeof id === 'number' || typeof id === 'string';
}

/**
 * Anyone holding a room code can post, so text from the server never reaches the terminal raw:
 * control characters (ESC sequences could rewrite the screen or the title) become U+FFFD.
 */
export function sanitize(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '\ufffd');
}

/** `2026-06-30 18:31:10`, in UTC; a zone-less timestamp (the seed's form) is taken as UTC already. */
export function formatTime(raw: string | number | null | undefined): string {
  if (typeof raw === 'number') {
    const date = new Date(raw);
    return Number.isNaN(date.getTime()) ? String(raw) : date.toISOString().slice(0, 19).replace('T', ' ');
  }
  if (!raw) return '';
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/i.test(raw);
  if (zoned) {
    const date = new Date(raw);
    if (!Number.isNaN(date.getTime())) return date.toISOString().slice(0, 19).replace('T', ' ');
  }
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})/.exec(raw);
  return match ? `${match[1]} ${match[2]}` : sanitize(raw);
}

/** `file_path` is server-relative in the seed; the CLI prints a URL that can be opened. */
export function fileUrl(base: string, filePath: string): string {
  if (/^https?:\/\//i.test(filePath)) return filePath;
  return `${base}${filePath.startsWith('/') ? '' : '/'}${filePath}`;
}

const TIME_WIDTH = 'YYYY-MM-DD HH:MM:SS'.length;

/** One message on one line: time, sender, content and/or file; further lines of a text are indented. */
export function formatMessage(message: RoomMessage, base: string): string {
  const parts: string[] = [];
  if (message.content) parts.push(sanitize(message.content));
  if (message.file_path) {
    const type = message.file_type ? ` ${sanitize(message.file_type)}` : '';
    parts.push(`[file${type}] ${sanitize(fileUrl(base, message.file_path))}`);
  }
  const time = formatTime(message.created_at).padEnd(TIME_WIDTH);
  const sender = sanitize(message.sender || 'anonymous');
  const text = `${time}  ${sender}: ${parts.join(' ')}`.trimEnd();
  return text.replace(/\n/g, `\n${' '.repeat(TIME_WIDTH + 2)}`);
}

/** `label: value` rows with the values aligned. */
export function formatFields(rows: [string, string][]): string {
  const width = Math.max(...rows.map(([label]) => label.length)) + 1;
  return rows.map(([label, value]) => `${`${label}:`.padEnd(width)} ${value}`).join('\n');
}

export function formatJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}
