/**
 * Group commit: items submitted while a batch is being written go together into the next one, and
 * each caller's promise settles only when the batch holding its item has committed. Under load many
 * small transactions (each waiting for its own WAL flush) become few large ones; alone, an item is
 * written at once. One batch is in flight at a time.
 *
 * `commitBatch` returns one result per item, in order. If it throws an error `retryable` accepts
 * (the statement surely failed as a whole), the batch is split in halves and each half retried, so
 * one bad item costs about log2(batch) extra statements and fails alone. Any other error (a lost
 * connection: the batch may have committed) fails every item of the batch, never writing twice.
 */
export class GroupCommit<Item, Result> {
  private queue: Array<{ item: Item; resolve: (r: Result) => void; reject: (e: unknown) => void }> = [];
  private writing = false;

  constructor(
    private readonly commitBatch: (items: Item[]) => Promise<Result[]>,
    private readonly options: { maxBatch: number; retryable: (error: unknown) => boolean },
  ) {}

  submit(item: Item): Promise<Result> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length > 0) await this.commitSplitting(this.queue.splice(0, this.options.maxBatch));
    } finally {
      this.writing = false;
    }
  }

  private async commitSplitting(batch: typeof this.queue): Promise<void> {
    let results: Result[];
    try {
      results = await this.commitBatch(batch.map((p) => p.item));
    } catch (error) {
      if (batch.length === 1 || !this.options.retryable(error)) {
        batch.forEach((p) => p.reject(error));
        return;
      }
      const half = Math.ceil(batch.length / 2);
      await this.commitSplitting(batch.slice(0, half));
      await this.commitSplitting(batch.slice(half));
      return;
    }
    batch.forEach((p, i) => p.resolve(results[i]));
  }
}
