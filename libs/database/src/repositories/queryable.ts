import { DataSource, EntityManager } from 'typeorm';

interface PreparedPool {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/** Either the pool (autocommit) or the manager of an open transaction. */
export type Tx = EntityManager;

export abstract class BaseRepository {
  constructor(protected readonly dataSource: DataSource) {}

  protected db(tx?: Tx): EntityManager {
    return tx ?? this.dataSource.manager;
  }

  /** Runs SQL and returns its rows (TypeORM returns `[rows, count]` for UPDATE/DELETE). */
  protected async rows<T>(sql: string, params: unknown[], tx?: Tx): Promise<T[]> {
    const result: unknown = await this.db(tx).query(sql, params);
    if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
      return result[0] as T[];
    }
    return result as T[];
  }

  /**
   * A hot statement as a named prepared statement on the pool: PostgreSQL parses and plans it once
   * per connection instead of on every call. Autocommit only (no `tx`).
   */
  protected async prepared<T>(name: string, sql: string, params: unknown[]): Promise<T[]> {
    const pool = (this.dataSource.driver as unknown as { master: PreparedPool }).master;
    return (await pool.query({ name, text: sql, values: params })).rows as T[];
  }

  protected async one<T>(sql: string, params: unknown[], tx?: Tx): Promise<T | undefined> {
    return (await this.rows<T>(sql, params, tx))[0];
  }
}
