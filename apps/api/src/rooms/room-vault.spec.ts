import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { loadConfig } from '@parley/config';
import { createRoomVault } from './room-vault';
import { sweepIntervalMs } from './room-sweeper.service';

const logger = () => {
  const lines: Array<[string, string]> = [];
  const l = new Logger('test');
  l.warn = (m: unknown) => void lines.push(['warn', String(m)]);
  l.log = (m: unknown) => void lines.push(['log', String(m)]);
  return { l, lines };
};

describe('createRoomVault', () => {
  it('warns once at boot without PARLEY_ENC_KEY, and stores plaintext envelopes', () => {
    const { l, lines } = logger();
    const vault = createRoomVault(loadConfig({}), l);
    expect(vault.encrypting).toBe(false);
    expect(lines).toEqual([['warn', expect.stringContaining('PARLEY_ENC_KEY is not set')]]);
    expect(vault.sealText('message.content', 'AAAAAAA', 'hi')).toEqual(Buffer.from('\u0000hi'));
  });

  it('encrypts with the key, binds each value to its field and room, and reads previous keys', () => {
    const old = randomBytes(32).toString('hex');
    const { l, lines } = logger();
    const before = createRoomVault(loadConfig({ PARLEY_ENC_KEY: old }), l);
    expect(lines).toEqual([['log', expect.stringMatching(/encrypted at rest \(key id [0-9a-f]{8}\)/)]]);
    const sealed = before.sealText('message.content', 'AAAAAAA', 'secret');
    expect(() => before.openText('message.sender', 'AAAAAAA', sealed)).toThrow();
    expect(() => before.openText('message.content', 'BBBBBBB', sealed)).toThrow();
    const file = before.sealFile('AAAAAAA', 'a.txt', Buffer.from('bytes'));
    expect(() => before.openFile('AAAAAAA', 'b.txt', file)).toThrow();

    const after = createRoomVault(
      loadConfig({ PARLEY_ENC_KEY: randomBytes(32).toString('base64'), PARLEY_ENC_KEY_PREVIOUS: old }),
      logger().l,
    );
    expect(after.openText('message.content', 'AAAAAAA', sealed)).toBe('secret');
    expect(after.openFile('AAAAAAA', 'a.txt', file).toString()).toBe('bytes');
  });
});

describe('sweepIntervalMs', () => {
  it('is a quarter of the TTL, between 250 ms and a minute', () => {
    expect(sweepIntervalMs(3600)).toBe(60_000);
    expect(sweepIntervalMs(120)).toBe(30_000);
    expect(sweepIntervalMs(1)).toBe(250);
  });
});
