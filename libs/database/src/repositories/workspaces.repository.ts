import { Injectable } from '@nestjs/common';
import { Role } from '../entities';
import { BaseRepository, Tx } from './queryable';

export interface WorkspaceRecord {
  id: string;
  slug: string;
  name: string;
  createdAt: Date;
}
export interface WorkspaceWithRole extends WorkspaceRecord {
  role: Role;
}

const COLUMNS = 'w.id, w.slug, w.name, w.created_at AS "createdAt"';

@Injectable()
export class WorkspacesRepository extends BaseRepository {
  findBySlug(slug: string, tx?: Tx): Promise<WorkspaceRecord | undefined> {
    return this.one(`SELECT ${COLUMNS} FROM workspaces w WHERE w.slug = $1`, [slug], tx);
  }

  findById(id: string, tx?: Tx): Promise<WorkspaceRecord | undefined> {
    return this.one(`SELECT ${COLUMNS} FROM workspaces w WHERE w.id = $1`, [id], tx);
  }

  /** Creates the workspace and its settings row; undefined when the slug is taken. */
  async create(slug: string, name: string, tx: Tx): Promise<WorkspaceRecord | undefined> {
    const created = await this.one<WorkspaceRecord>(
      `INSERT INTO workspaces AS w (slug, name) VALUES ($1, $2)
       ON CONFLICT (slug) DO NOTHING RETURNING ${COLUMNS}`,
      [slug, name],
      tx,
    );
    if (created) {
      await this.rows('INSERT INTO workspace_settings (workspace_id, name) VALUES ($1, $2)', [created.id, name], tx);
    }
    return created;
  }

  listForUser(userId: string): Promise<WorkspaceWithRole[]> {
    return this.rows(
      `SELECT ${COLUMNS}, m.role FROM memberships m JOIN workspaces w ON w.id = m.workspace_id
       WHERE m.user_id = $1 ORDER BY m.created_at, w.slug`,
      [userId],
    );
  }

  async getSettingsName(workspaceId: string): Promise<string | undefined> {
    const row = await this.one<{ name: string }>('SELECT name FROM workspace_settings WHERE workspace_id = $1', [
      workspaceId,
    ]);
    return row?.name;
  }

  /** The settings name of the workspace with this slug (one query); undefined when there is none. */
  async getSettingsNameBySlug(slug: string): Promise<string | undefined> {
    const row = await this.one<{ name: string }>(
      'SELECT s.name FROM workspaces w JOIN workspace_settings s ON s.workspace_id = w.id WHERE w.slug = $1',
      [slug],
    );
    return row?.name;
  }

  async updateSettingsName(workspaceId: string, name: string, tx: Tx): Promise<void> {
    await this.rows(
      'UPDATE workspace_settings SET name = $2, updated_at = now() WHERE workspace_id = $1',
      [workspaceId, name],
      tx,
    );
  }
}
