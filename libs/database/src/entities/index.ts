import { ConversationEntity } from './conversation.entity';
import { EventEntity, EventLogStateEntity } from './event.entity';
import { MessageEntity } from './message.entity';
import { SessionEntity } from './session.entity';
import { MembershipEntity, UserEntity } from './user.entity';
import { WebhookEntity } from './webhook.entity';
import { WorkspaceEntity, WorkspaceSettingsEntity } from './workspace.entity';

export * from './conversation.entity';
export * from './event.entity';
export * from './message.entity';
export * from './session.entity';
export * from './user.entity';
export * from './webhook.entity';
export * from './workspace.entity';

export const ENTITIES = [
  WorkspaceEntity,
  WorkspaceSettingsEntity,
  UserEntity,
  MembershipEntity,
  SessionEntity,
  ConversationEntity,
  MessageEntity,
  WebhookEntity,
  EventEntity,
  EventLogStateEntity,
];
