import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@parley/common';
import { Principal, WorkspacesRepository } from '@parley/database';
import { UnitOfWork } from '@parley/events';
import { recordEvent } from '../events/record-event';

/** "Server settings" in the seed are the current workspace's settings. */
@Injectable()
export class SettingsService {
  constructor(
    private readonly workspaces: WorkspacesRepository,
    private readonly uow: UnitOfWork,
  ) {}

  async get(workspaceId: string): Promise<{ name: string }> {
    const name = await this.workspaces.getSettingsName(workspaceId);
    if (name === undefined) throw new NotFoundError('Workspace settings');
    return { name };
  }

  update(me: Principal, name: string): Promise<{ name: string }> {
    return this.uow.run(async (tx, events) => {
      await this.workspaces.updateSettingsName(me.workspaceId, name, tx);
      recordEvent(events, me.workspaceId, { type: 'UPDATE_SERVER_SETTINGS', payload: { name } });
      return { name };
    });
  }
}
