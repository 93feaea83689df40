import { Client } from 'pg';
import { StoredEvent } from '@parley/database';
import { EventBus } from '@parley/events';
import { createTestApp, TestApp } from './support/test-app';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The tailer's promise, under a deliberately hostile load: writers that draw positions and then
 * dawdle before committing (or roll back), so positions become visible out of order. Delivered
 * positions must be exactly the committed ones, each once, in increasing order.
 */
describe('event log delivery under concurrent, out-of-order commits', () => {
  let app: TestApp;
  beforeAll(async () => (app = await createTestApp()));
  afterAll(() => app.close());

  it('delivers every committed event once, in order, and nothing rolled back', async () => {
    const bus = app.server.app.get(EventBus);
    const delivered: number[] = [];
    const unsubscribe = bus.subscribe((batch: readonly StoredEvent[]) =>
      delivered.push(...batch.map((e) => e.position)),
    );
    const start = bus.settledPosition();
    const workspaceId = (await app.given.admin()).workspace.id;

    const writers = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const c = new Client({ connectionString: app.db.url });
        await c.connect();
        return c;
      }),
    );
    const deadline = Date.now() + 3000;
    let rolledBack = 0;
    await Promise.all(
      writers.map(async (c, w) => {
        for (let i = 0; Date.now() < deadline; i++) {
          await c.query('BEGIN');
          await c.query(
            `INSERT INTO events (workspace_id, type, payload)
             VALUES ($1, 'STRESS', json_build_object('w', $2::int, 'i', $3::int))`,
            [workspaceId, w, i],
          );
          await sleep(Math.random() * 15);
          if (Math.random() < 0.1) {
            await c.query('ROLLBACK');
            rolledBack++;
          } else {
            await c.query('COMMIT');
          }
          bus.notifyCommitted();
        }
      }),
    );
    await Promise.all(writers.map((c) => c.end()));

    const pg = new Client({ connectionString: app.db.url });
    await pg.connect();
    const { rows } = await pg.query<{ p: string }>(
      "SELECT position::text AS p FROM events WHERE position > $1 AND type = 'STRESS' ORDER BY position",
      [start],
    );
    await pg.end();
    const expected = rows.map((r) => Number(r.p));
    const last = expected[expected.length - 1];
    for (let waited = 0; bus.settledPosition() < last && waited < 10_000; waited += 50) await sleep(50);
    unsubscribe();

    expect(rolledBack).toBeGreaterThan(0);
    expect(expected.length).toBeGreaterThan(100);
    expect(delivered).toEqual(expected);
  });
});
