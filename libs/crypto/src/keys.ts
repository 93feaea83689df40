import { createHmac, hkdfSync } from 'node:crypto';

const HEX_KEY = /^[0-9a-fA-F]{64}$/;
const BASE64_KEY = /^[A-Za-z0-9+/]+=*$/;

/**
 * A 32-byte key as the environment gives it: 64 hex characters or base64 (the same rule libs/config
 * validates at boot). Throws on anything else, naming no part of the value.
 */
export function parseEncryptionKey(text: string): Buffer {
  const value = text.trim();
  if (HEX_KEY.test(value)) return Buffer.from(value, 'hex');
  if (BASE64_KEY.test(value)) {
    const bytes = Buffer.from(value, 'base64');
    if (bytes.length === 32) return bytes;
  }
  throw new Error('an encryption key must be 32 bytes as 64 hex characters or as base64');
}

/** One usable key: the AES-256 key derived from the configured secret, and its public id. */
export interface DerivedKey {
  /** 4 bytes stored in front of every value sealed with this key; says which key opens it. */
  id: Buffer;
  aesKey: Buffer;
  /** For keyed hashes (`AtRestCipher.index`): a lookup key that reveals nothing without the secret. */
  indexKey: Buffer;
}

/**
 * The configured secret is never used directly: HKDF gives the AES key, and an HMAC under the
 * secret gives the key id. The id reveals nothing of the key, and two keys collide with
 * probability 2^-32 (a problem only between the current and a previous key, which AtRestCipher refuses).
 */
export function deriveKey(secret: Buffer): DerivedKey {
  return {
    id: createHmac('sha256', secret).update('parley at-rest key id').digest().subarray(0, 4),
    aesKey: Buffer.from(hkdfSync('sha256', secret, 'parley', 'at-rest aes-256-gcm v1', 32)),
    indexKey: Buffer.from(hkdfSync('sha256', secret, 'parley', 'at-rest hmac-sha256 index v1', 32)),
  };
}
