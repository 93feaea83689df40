import { Transform } from 'class-transformer';
import { IsString, IsUUID, Length } from 'class-validator';
import { WebhookRecord } from '@parley/database';

export class CreateWebhookDto {
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Length(1, 80, { message: 'name must be 1 to 80 characters' })
  name!: string;

  @IsUUID('all', { message: 'channelId must be a channel id' })
  channelId!: string;
}

export interface WebhookResponseDto {
  id: string;
  name: string;
  channelId: string;
  createdAt: number;
  createdBy: string | null;
}

/** Never carries the token or its hash. */
export const toWebhookDto = (w: WebhookRecord): WebhookResponseDto => ({
  id: w.id,
  name: w.name,
  channelId: w.channelId,
  createdAt: w.createdAt.getTime(),
  createdBy: w.createdBy,
});
