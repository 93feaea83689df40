import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** Every kind of conversation lives here; only channels exist so far. */
export type ConversationKind = 'channel' | 'dm';

@Entity({ name: 'conversations' })
export class ConversationEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'workspace_id' }) workspaceId!: string;
  @Column('text') kind!: ConversationKind;
  @Column('text', { nullable: true }) name!: string | null;
  @Column('uuid', { name: 'created_by', nullable: true }) createdBy!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at', nullable: true }) updatedAt!: Date | null;
}
