import { BadRequestError, PayloadTooLargeError, UnprocessableEntityError } from '@parley/common';
import { badRequest, readContent, readDisplayName, readRoomName, unprocessable } from './room-input';

describe('room input rules', () => {
  it('content: a non-empty string without NUL, 413 above 16,000 characters', () => {
    expect(readContent(' hi ', badRequest)).toBe(' hi ');
    expect(readContent('x'.repeat(16_000), badRequest)).toHaveLength(16_000);
    expect(() => readContent('x'.repeat(16_001), badRequest)).toThrow(PayloadTooLargeError);
    for (const bad of [undefined, null, '', '   ', 42, {}, 'a\u0000b', 'a\ud800b', '\udc00']) {
      expect(() => readContent(bad, badRequest)).toThrow(BadRequestError);
      expect(() => readContent(bad, unprocessable)).toThrow(UnprocessableEntityError);
    }
  });

  it('display names: trimmed, one line, at most 100 characters (code points), blank means none', () => {
    expect(readDisplayName('  CI  ', 'sender', badRequest)).toBe('CI');
    expect(readDisplayName('', 'sender', badRequest)).toBeUndefined();
    expect(readDisplayName(undefined, 'sender', badRequest)).toBeUndefined();
    expect(readDisplayName('🔥'.repeat(100), 'sender', badRequest)).toHaveLength(200);
    expect(() => readDisplayName('x'.repeat(101), 'sender', badRequest)).toThrow(/at most 100/);
    expect(() => readDisplayName('a\nb', 'sender', badRequest)).toThrow(/one line/);
    expect(() => readDisplayName('a\u0000b', 'sender', badRequest)).toThrow(BadRequestError);
    expect(() => readDisplayName(7, 'sender', unprocessable)).toThrow(UnprocessableEntityError);
    expect(() => readDisplayName('\ud83d', 'sender', badRequest)).toThrow(/valid Unicode/);
    expect(readDisplayName('\ud83d\ude80', 'sender', badRequest)).toBe('🚀');
  });

  it('room names: required, at most 50 characters', () => {
    expect(readRoomName(' Launch sync ')).toBe('Launch sync');
    expect(readRoomName('x'.repeat(50))).toHaveLength(50);
    expect(() => readRoomName('x'.repeat(51))).toThrow(/at most 50/);
    expect(() => readRoomName('  ')).toThrow(/must not be empty/);
    expect(() => readRoomName(['a', 'b'])).toThrow(/must be a string/);
  });
});
