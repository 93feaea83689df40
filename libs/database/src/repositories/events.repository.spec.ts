import { finishedBefore, parseSnapshot } from './events.repository';

describe('finishedBefore', () => {
  it('treats ids listed in xip, and ids at or above xmax, as still running', () => {
    const snap = parseSnapshot('100:105:101,103');
    expect(finishedBefore(snap, 99)).toBe(true);
    expect(finishedBefore(snap, 100)).toBe(true);
    expect(finishedBefore(snap, 101)).toBe(false);
    expect(finishedBefore(snap, 102)).toBe(true);
    expect(finishedBefore(snap, 103)).toBe(false);
    // The newest running transaction is above every finished one, so it is not in xip.
    expect(finishedBefore(snap, 105)).toBe(false);
    expect(finishedBefore(snap, 200)).toBe(false);
  });

  it('handles an empty snapshot, where xmin = xmax', () => {
    const snap = parseSnapshot('2804:2804:');
    expect(snap.xip.size).toBe(0);
    expect(finishedBefore(snap, 2803)).toBe(true);
    expect(finishedBefore(snap, 2804)).toBe(false);
    expect(finishedBefore(snap, 2805)).toBe(false);
  });

  it('widens 32-bit ids across an epoch boundary', () => {
    const epoch = 0x100000000n;
    const snap = parseSnapshot(`${epoch - 10n}:${epoch + 5n}:${epoch + 2n}`);
    expect(finishedBefore(snap, 0xfffffff0)).toBe(true); // previous epoch, before xmin
    expect(finishedBefore(snap, 0xfffffffa)).toBe(true); // previous epoch, finished
    expect(finishedBefore(snap, 2)).toBe(false); // this epoch, in xip
    expect(finishedBefore(snap, 3)).toBe(true);
    expect(finishedBefore(snap, 5)).toBe(false); // at xmax
  });

  it('widens ids of the next epoch when xmax sits just below the boundary', () => {
    const epoch = 0x100000000n;
    const snap = parseSnapshot(`${epoch - 10n}:${epoch - 2n}:`);
    expect(finishedBefore(snap, 0xfffffffd)).toBe(true);
    expect(finishedBefore(snap, 0xffffffff)).toBe(false); // above xmax, this epoch
    expect(finishedBefore(snap, 3)).toBe(false); // next epoch: still running
  });
});
