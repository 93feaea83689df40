import type { Command } from '../command';
import { createRoom } from './create-room';
import { destroy } from './destroy';
import { newWebhook } from './new-webhook';
import { read } from './read';
import { send } from './send';
import { tail } from './tail';
import { webhookSend } from './webhook-send';

/** In the order the help lists them. */
export const COMMANDS: readonly Command[] = [createRoom, send, newWebhook, webhookSend, read, destroy, tail];
