import { randomBytes } from 'node:crypto';
import { AtRestCipher, UnreadableValueError } from './at-rest-cipher';
import { parseEncryptionKey } from './keys';
import { randomToken, sha256 } from './hashing';

describe('AtRestCipher', () => {
  const key = randomBytes(32);
  const other = randomBytes(32);

  it('seals with a fresh IV per value and opens in the same context', () => {
    const cipher = new AtRestCipher(key);
    expect(cipher.encrypting).toBe(true);
    const a = cipher.sealText('Launch sync', 'room.name:1');
    const b = cipher.sealText('Launch sync', 'room.name:1');
    expect(a.equals(b)).toBe(false);
    expect(a[0]).toBe(1);
    expect(a.includes(Buffer.from('Launch sync'))).toBe(false);
    expect(cipher.openText(a, 'room.name:1')).toBe('Launch sync');
    expect(cipher.openText(b, 'room.name:1')).toBe('Launch sync');
  });

  it('refuses a value moved to another context, tampered with, or sealed with an unknown key', () => {
    const cipher = new AtRestCipher(key);
    const sealed = cipher.sealText('secret', 'message.content:1');
    expect(() => cipher.open(sealed, 'message.content:2')).toThrow(UnreadableValueError);
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 20] ^= 1;
    expect(() => cipher.open(tampered, 'message.content:1')).toThrow(UnreadableValueError);
    expect(() => new AtRestCipher(other).open(sealed, 'message.content:1')).toThrow(/not configured/);
    expect(() => new AtRestCipher(undefined).open(sealed, 'message.content:1')).toThrow(/not configured/);
    expect(() => cipher.open(Buffer.alloc(0), 'x')).toThrow(UnreadableValueError);
    expect(() => cipher.open(Buffer.from([1, 2, 3]), 'x')).toThrow(/truncated/);
    expect(() => cipher.open(Buffer.from([9, 2, 3]), 'x')).toThrow(/unknown format/);
  });

  it('stores plaintext envelopes without a key, and still reads them once a key is set', () => {
    const plain = new AtRestCipher(undefined);
    expect(plain.encrypting).toBe(false);
    const sealed = plain.sealText('hello ✅', 'ctx');
    expect(sealed).toEqual(Buffer.concat([Buffer.from([0]), Buffer.from('hello ✅')]));
    expect(new AtRestCipher(key).openText(sealed, 'ctx')).toBe('hello ✅');
  });

  it('rotates: values of a previous key open, new ones use the current key', () => {
    const old = new AtRestCipher(key).sealText('before rotation', 'ctx');
    const rotated = new AtRestCipher(other, [key]);
    expect(rotated.openText(old, 'ctx')).toBe('before rotation');
    const fresh = rotated.sealText('after', 'ctx');
    expect(fresh.subarray(1, 5).toString('hex')).toBe(rotated.currentKeyId);
    expect(() => new AtRestCipher(key).open(fresh, 'ctx')).toThrow(/not configured/);
  });

  it('seals binary files of any size', () => {
    const cipher = new AtRestCipher(key);
    const bytes = randomBytes(1024 * 1024 + 7);
    const sealed = cipher.seal(bytes, 'file:1/a.png');
    expect(sealed.length).toBe(bytes.length + 1 + 4 + 12 + 16);
    expect(cipher.open(sealed, 'file:1/a.png').equals(bytes)).toBe(true);
  });
});

describe('parseEncryptionKey', () => {
  it('reads 64 hex characters or base64 of 32 bytes, and nothing else', () => {
    const key = randomBytes(32);
    expect(parseEncryptionKey(key.toString('hex')).equals(key)).toBe(true);
    expect(parseEncryptionKey(key.toString('base64')).equals(key)).toBe(true);
    for (const bad of ['', 'nope', randomBytes(16).toString('hex'), randomBytes(31).toString('base64')]) {
      expect(() => parseEncryptionKey(bad)).toThrow(/32 bytes/);
    }
  });
});

describe('tokens', () => {
  it('makes 43-character URL-safe tokens and hashes them with SHA-256', () => {
    const token = randomToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(sha256('abc').toString('hex')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('indexes a value the same way every time, keyed when a key is set, per context', () => {
    const [key, other] = [randomBytes(32), randomBytes(32)];
    const keyed = new AtRestCipher(key);
    const a = keyed.index('ip:203.0.113.7', 'poster:ABCDEFG');
    expect(a.equals(keyed.index('ip:203.0.113.7', 'poster:ABCDEFG'))).toBe(true);
    expect(a.equals(keyed.index('ip:203.0.113.7', 'poster:HJKMNPQ'))).toBe(false);
    expect(a.equals(new AtRestCipher(other).index('ip:203.0.113.7', 'poster:ABCDEFG'))).toBe(false);
    // Without the key it is not the plain hash anyone could compute from a guess.
    const unkeyed = new AtRestCipher(undefined).index('ip:203.0.113.7', 'poster:ABCDEFG');
    expect(a.equals(unkeyed)).toBe(false);
    expect(unkeyed.equals(sha256('poster:ABCDEFG\u0000ip:203.0.113.7'))).toBe(true);
  });
});
