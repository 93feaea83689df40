import { Injectable } from '@nestjs/common';
import { BaseRepository, Tx } from './queryable';

/**
 * Links between a provider's account (`provider`, `subject`) and a Parley identity. Identities are
 * not tenant rows, so nothing here takes a workspace.
 */
@Injectable()
export class OAuthIdentitiesRepository extends BaseRepository {
  async findUserId(provider: string, subject: string, tx?: Tx): Promise<string | undefined> {
    const row = await this.one<{ userId: string }>(
      'SELECT user_id AS "userId" FROM oauth_identities WHERE provider = $1 AND subject = $2',
      [provider, subject],
      tx,
    );
    return row?.userId;
  }

  /** Links the account to the identity; a link that already exists (a concurrent login) is kept as it is. */
  async link(provider: string, subject: string, userId: string, tx?: Tx): Promise<void> {
    await this.rows(
      `INSERT INTO oauth_identities (provider, subject, user_id) VALUES ($1, $2, $3)
       ON CONFLICT (provider, subject) DO NOTHING`,
      [provider, subject, userId],
      tx,
    );
  }
}
