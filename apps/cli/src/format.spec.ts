import { fileUrl, formatFields, formatMessage, formatTime, sanitize } from './format';

const BASE = 'http://127.0.0.1:3000';

describe('formatTime', () => {
  it('shows zone-less timestamps (the seed form) as they are', () => {
    expect(formatTime('2026-06-30T18:31:10')).toBe('2026-06-30 18:31:10');
  });

  it('converts zoned timestamps to UTC', () => {
    expect(formatTime('2026-06-30T18:31:10.123Z')).toBe('2026-06-30 18:31:10');
    expect(formatTime('2026-06-30T20:31:10+02:00')).toBe('2026-06-30 18:31:10');
  });

  it('reads epoch milliseconds', () => {
    expect(formatTime(Date.UTC(2026, 5, 30, 18, 31, 10))).toBe('2026-06-30 18:31:10');
  });

  it('passes anything else through, and an absent time as empty', () => {
    expect(formatTime('yesterday')).toBe('yesterday');
    expect(formatTime(null)).toBe('');
  });
});

describe('formatMessage', () => {
  const message = { id: 42, sender: 'Deploy Bot', created_at: '2026-06-30T18:31:10' };

  it('prints time, sender and content on one line', () => {
    expect(formatMessage({ ...message, content: '✅ Build #1423 passed' }, BASE)).toBe(
      '2026-06-30 18:31:10  Deploy Bot: ✅ Build #1423 passed',
    );
  });

  it('prints a file as its type and an openable URL', () => {
    const line = formatMessage(
      { ...message, content: null, file_path: '/rooms/files/ab12', file_type: 'image/png' },
      BASE,
    );
    expect(line).toBe(`2026-06-30 18:31:10  Deploy Bot: [file image/png] ${BASE}/rooms/files/ab12`);
  });

  it('indents the further lines of a multi-line text under the first', () => {
    expect(formatMessage({ ...message, content: 'one\ntwo' }, BASE)).toBe(
      `2026-06-30 18:31:10  Deploy Bot: one\n${' '.repeat(21)}two`,
    );
  });

  it('never lets escape sequences from a message reach the terminal', () => {
    const line = formatMessage(
      { ...message, sender: 'x\u001b]0;pwned\u0007', content: '\u001b[2Jcleared\u009b' },
      BASE,
    );
    for (const control of ['\u001b', '\u0007', '\u009b']) expect(line).not.toContain(control);
    expect(line).toContain('cleared');
  });

  it('names a sender-less message anonymous', () => {
    expect(formatMessage({ id: 1, content: 'hi', created_at: '2026-06-30T18:31:10' }, BASE)).toBe(
      '2026-06-30 18:31:10  anonymous: hi',
    );
  });
});

describe('helpers', () => {
  it('sanitize keeps tabs, newlines and any printable Unicode', () => {
    expect(sanitize('a\tb\nc ✅ é')).toBe('a\tb\nc ✅ é');
    expect(sanitize('a\rb')).toBe('a\ufffdb');
  });

  it('fileUrl joins relative paths to the base and keeps absolute URLs', () => {
    expect(fileUrl(`${BASE}/prefix`, 'files/1')).toBe(`${BASE}/prefix/files/1`);
    expect(fileUrl(BASE, 'https://cdn/x')).toBe('https://cdn/x');
  });

  it('formatFields aligns values', () => {
    expect(
      formatFields([
        ['Room', 'X'],
        ['Admin token', 'T'],
      ]),
    ).toBe('Room:        X\nAdmin token: T');
  });
});
