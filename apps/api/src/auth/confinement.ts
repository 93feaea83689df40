import { ForbiddenError } from '@parley/common';
import { Principal } from '@parley/database';

/**
 * A session opened with a password that a workspace admin chose is *confined* to that workspace:
 * such a password must not open an identity that other workspaces share (PRODUCT.md §3), or any
 * admin could pre-create a victim's account and keep a key to it. A password chosen at self
 * sign-up (`POST /auth/register`) is confined to the default workspace for the same reason: nobody
 * proved the mailbox is the registrant's. Confined sessions cannot switch workspace, create one,
 * or change the identity itself while it belongs to other workspaces. A password set through a
 * mailed link (the mailbox proved who this is) is the identity's own and confines nothing.
 */
export const isConfined = (me: Principal): boolean => me.restrictedWorkspaceId !== null;

export function assertNotConfined(me: Principal, action: string): void {
  if (isConfined(me)) {
    throw new ForbiddenError(
      `${action} needs a login of your own (not a password your workspace admin set)`,
      'SESSION_CONFINED',
    );
  }
}
