import { newRoomCode, normaliseRoomCode, ROOM_CODE_ALPHABET } from './room-codes';

describe('room codes', () => {
  it('are 7 characters of the unambiguous alphabet, spread over all of it', () => {
    expect(ROOM_CODE_ALPHABET).toHaveLength(31);
    expect(ROOM_CODE_ALPHABET).not.toMatch(/[0O1IL]/);
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const code = newRoomCode();
      expect(code).toMatch(/^[A-HJKMNP-Z2-9]{7}$/);
      for (const c of code) seen.add(c);
    }
    expect(seen.size).toBe(31);
  });

  it('normalise to uppercase, and refuse anything that cannot be a code', () => {
    expect(normaliseRoomCode('x7k9m2p')).toBe('X7K9M2P');
    expect(normaliseRoomCode('X7K9M2P')).toBe('X7K9M2P');
    for (const bad of ['X7K9M2', 'X7K9M2PQ', 'X0K9M2P', 'XIK9M2P', 'X7K9M2L', '../etc', '', 7, undefined]) {
      expect(normaliseRoomCode(bad)).toBeUndefined();
    }
  });
});
