import { EventRecorder } from '@parley/events';
import { ParleyEvent } from './event-types';

export interface Audience {
  /** Only these users receive it (DM participants, later). */
  recipientIds?: string[];
  /** Admins receive this payload instead (e.g. with e-mail addresses). */
  adminPayload?: ParleyEvent['payload'];
}

/** Records a typed event in the current unit of work; it is published after the commit. */
export function recordEvent(
  recorder: EventRecorder,
  workspaceId: string,
  event: ParleyEvent,
  audience: Audience = {},
): void {
  recorder.record({
    workspaceId,
    type: event.type,
    payload: event.payload,
    adminPayload: audience.adminPayload,
    recipientIds: audience.recipientIds,
  });
}
