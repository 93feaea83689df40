import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A bot identity bound to one channel; only the SHA-256 of its token is stored. */
@Entity({ name: 'webhooks' })
export class WebhookEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'workspace_id' }) workspaceId!: string;
  @Column('uuid', { name: 'conversation_id' }) conversationId!: string;
  @Column('text') name!: string;
  @Column('bytea', { name: 'token_hash' }) tokenHash!: Buffer;
  @Column('uuid', { name: 'created_by', nullable: true }) createdBy!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
