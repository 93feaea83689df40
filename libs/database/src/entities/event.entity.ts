import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** One entry of the event log that SSE delivers and replays. */
@Entity({ name: 'events' })
export class EventEntity {
  @PrimaryColumn('bigint') position!: string;
  @Column('uuid', { name: 'workspace_id' }) workspaceId!: string;
  @Column('text') type!: string;
  @Column('json') payload!: unknown;
  /** When set, admins receive this payload instead (e.g. with e-mail addresses). */
  @Column('json', { name: 'admin_payload', nullable: true }) adminPayload!: unknown;
  /** When set, only these users receive the event (e.g. DM participants). */
  @Column('uuid', { name: 'recipient_ids', array: true, nullable: true }) recipientIds!: string[] | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

@Entity({ name: 'event_log_state' })
export class EventLogStateEntity {
  @PrimaryColumn('smallint') id!: number;
  @Column('bigint', { name: 'pruned_through' }) prunedThrough!: string;
}
