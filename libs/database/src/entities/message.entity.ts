import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'messages' })
export class MessageEntity {
  /** bigint identity, carried as a string in TypeScript and in the API. */
  @PrimaryColumn('bigint') id!: string;
  @Column('uuid', { name: 'workspace_id' }) workspaceId!: string;
  @Column('uuid', { name: 'conversation_id' }) conversationId!: string;
  @Column('uuid', { name: 'author_user_id', nullable: true }) authorUserId!: string | null;
  @Column('uuid', { name: 'author_webhook_id', nullable: true }) authorWebhookId!: string | null;
  /** Set for bot (webhook) messages: the name shown, kept even if the webhook is deleted. */
  @Column('text', { name: 'bot_name', nullable: true }) botName!: string | null;
  @Column('text') content!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at', nullable: true }) updatedAt!: Date | null;
}
