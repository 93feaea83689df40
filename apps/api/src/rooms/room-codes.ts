import { randomInt } from 'node:crypto';

/** Uppercase letters and digits a reader cannot confuse: no 0/O, no 1/I/L (31 symbols). */
export const ROOM_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const ROOM_CODE_LENGTH = 7;
const ROOM_CODE = /^[A-HJKMNP-Z2-9]{7}$/;

/** A new room code from the CSPRNG, each character uniform over the alphabet (31^7 ≈ 2.75 × 10^10 codes). */
export function newRoomCode(): string {
  let code = '';
  for (let i = 0; i < ROOM_CODE_LENGTH; i++) code += ROOM_CODE_ALPHABET[randomInt(ROOM_CODE_ALPHABET.length)];
  return code;
}

/**
 * A code as typed in a URL, in its stored form: uppercased (people retype codes in lowercase), or
 * undefined when it cannot be a code at all — answered like an unknown room, without a query.
 */
export function normaliseRoomCode(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const code = raw.toUpperCase();
  return ROOM_CODE.test(code) ? code : undefined;
}
