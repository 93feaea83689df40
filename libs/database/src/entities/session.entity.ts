import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A login on one device, bound to one workspace; refresh tokens rotate within it. */
@Entity({ name: 'sessions' })
export class SessionEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'user_id' }) userId!: string;
  @Column('uuid', { name: 'workspace_id' }) workspaceId!: string;
  @Column('uuid', { name: 'restricted_workspace_id', nullable: true }) restrictedWorkspaceId!: string | null;
  @Column('integer', { name: 'refresh_generation' }) refreshGeneration!: number;
  @Column('bytea', { name: 'refresh_token_hash' }) refreshTokenHash!: Buffer;
  @Column('bytea', { name: 'previous_refresh_token_hash', nullable: true })
  previousRefreshTokenHash!: Buffer | null;
  @Column('timestamptz', { name: 'rotated_at', nullable: true }) rotatedAt!: Date | null;
  @Column('text', { name: 'user_agent', nullable: true }) userAgent!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz', { name: 'last_used_at' }) lastUsedAt!: Date;
  @Column('timestamptz', { name: 'expires_at' }) expiresAt!: Date;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt!: Date | null;
}
