import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { deriveKey, DerivedKey } from './keys';

/** First byte of every stored value: how the rest is to be read. */
const PLAIN = 0x00;
const AES_256_GCM_V1 = 0x01;
const KEY_ID_BYTES = 4;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + KEY_ID_BYTES + IV_BYTES;

/** A stored value that cannot be opened with the configured keys (a removed key, or tampering). */
export class UnreadableValueError extends Error {
  constructor(reason: string) {
    super(`stored value cannot be decrypted: ${reason}`);
    this.name = 'UnreadableValueError';
  }
}

/**
 * Encryption at rest of values the API hands back in plaintext. Every value is stored as an
 * envelope whose first byte says how to read it:
 *
 * - `00 | plaintext` — written without a key;
 * - `01 | key id (4) | IV (12) | AES-256-GCM ciphertext | tag (16)` — a fresh random IV per value.
 *
 * The `context` (what the value is and which row it belongs to) is bound as additional
 * authenticated data, so a ciphertext copied into another column or another room does not open.
 * New values are sealed with the current key; values sealed with a previous key (listed for
 * rotation) and plaintext envelopes written before a key was set still open.
 */
export class AtRestCipher {
  private readonly current: DerivedKey | undefined;
  private readonly byId = new Map<string, DerivedKey>();

  constructor(current: Buffer | undefined, previous: readonly Buffer[] = []) {
    this.current = current ? deriveKey(current) : undefined;
    for (const key of [...(this.current ? [this.current] : []), ...previous.map(deriveKey)]) {
      const id = key.id.toString('hex');
      const known = this.byId.get(id);
      if (known && !known.aesKey.equals(key.aesKey)) throw new Error(`two encryption keys share the id ${id}`);
      this.byId.set(id, key);
    }
  }

  /** Whether new values are encrypted (a current key is configured). */
  get encrypting(): boolean {
    return this.current !== undefined;
  }

  /** Hex id of the current key, for logs; undefined without a key. */
  get currentKeyId(): string | undefined {
    return this.current?.id.toString('hex');
  }

  /**
   * A fixed-length lookup key for a value that must be found again but not read back (an address,
   * say): HMAC-SHA256 under a key derived from the current key, so without the key it cannot be
   * brute-forced from a dump; without a key, plain SHA-256 (like everything else then). A key
   * change changes every index: use it only for short-lived lookups.
   */
  index(value: string, context: string): Buffer {
    const input = `${context}\u0000${value}`;
    return this.current
      ? createHmac('sha256', this.current.indexKey).update(input).digest()
      : createHash('sha256').update(input).digest();
  }

  seal(plain: Buffer, context: string): Buffer {
    if (!this.current) return Buffer.concat([Buffer.from([PLAIN]), plain]);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.aesKey, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([Buffer.from([AES_256_GCM_V1]), this.current.id, iv, body, cipher.getAuthTag()]);
  }

  open(sealed: Buffer, context: string): Buffer {
    if (sealed.length === 0) throw new UnreadableValueError('empty envelope');
    if (sealed[0] === PLAIN) return sealed.subarray(1);
    if (sealed[0] !== AES_256_GCM_V1) throw new UnreadableValueError(`unknown format ${sealed[0]}`);
    if (sealed.length < HEADER_BYTES + TAG_BYTES) throw new UnreadableValueError('truncated envelope');
    const id = sealed.subarray(1, 1 + KEY_ID_BYTES).toString('hex');
    const key = this.byId.get(id);
    if (!key) throw new UnreadableValueError(`key ${id} is not configured (PARLEY_ENC_KEY / PARLEY_ENC_KEY_PREVIOUS)`);
    const iv = sealed.subarray(1 + KEY_ID_BYTES, HEADER_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', key.aesKey, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    try {
      return Buffer.concat([
        decipher.update(sealed.subarray(HEADER_BYTES, sealed.length - TAG_BYTES)),
        decipher.final(),
      ]);
    } catch {
      throw new UnreadableValueError(`authentication failed under key ${id}`);
    }
  }

  sealText(text: string, context: string): Buffer {
    return this.seal(Buffer.from(text, 'utf8'), context);
  }

  openText(sealed: Buffer, context: string): string {
    return this.open(sealed, context).toString('utf8');
  }
}
