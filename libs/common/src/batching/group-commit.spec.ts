import { GroupCommit } from './group-commit';

const options = (maxBatch: number) => ({ maxBatch, retryable: (e: unknown) => (e as Error).message === 'bad item' });

describe('GroupCommit', () => {
  it('writes an item alone at once, and items submitted meanwhile together in the next batch', async () => {
    const batches: number[][] = [];
    const group = new GroupCommit<number, string>(async (items) => {
      batches.push(items);
      await new Promise((r) => setTimeout(r, 5));
      return items.map((i) => `done ${i}`);
    }, options(100));
    const first = group.submit(1);
    const rest = [2, 3, 4].map((i) => group.submit(i));
    expect(await first).toBe('done 1');
    expect(await Promise.all(rest)).toEqual(['done 2', 'done 3', 'done 4']);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('caps a batch at maxBatch', async () => {
    const sizes: number[] = [];
    const group = new GroupCommit<number, number>((items) => {
      sizes.push(items.length);
      return Promise.resolve(items);
    }, options(2));
    await Promise.all([1, 2, 3, 4, 5].map((i) => group.submit(i)));
    expect(sizes).toEqual([1, 2, 2]);
  });

  it('splits a failing batch so only the bad item fails', async () => {
    const group = new GroupCommit<number, number>(
      (items) =>
        items.includes(13) ? Promise.reject(new Error('bad item')) : Promise.resolve(items.map((i) => i * 2)),
      options(100),
    );
    const blocker = group.submit(0);
    const outcomes = await Promise.allSettled([11, 12, 13, 14].map((i) => group.submit(i)));
    await blocker;
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : (o.reason as Error).message))).toEqual([
      22,
      24,
      'bad item',
      28,
    ]);
  });

  it('fails the whole batch, without retrying, on an error that may hide a commit', async () => {
    let calls = 0;
    const group = new GroupCommit<number, number>(() => {
      calls++;
      return Promise.reject(new Error('connection lost'));
    }, options(100));
    const blocker = group.submit(0).catch(() => 'failed');
    const outcomes = await Promise.allSettled([1, 2, 3].map((i) => group.submit(i)));
    expect(await blocker).toBe('failed');
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(calls).toBe(2); // the first item alone, then the three together: no halves
  });
});
