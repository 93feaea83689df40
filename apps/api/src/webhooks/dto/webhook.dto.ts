import { Transform } from 'class-transformer';
import { IsOptional, IsString, IsUUID, Length, ValidateBy } from 'class-validator';
import { WebhookRecord } from '@parley/database';
import { isHttpUrl } from '../dialects/webhook-post';

export class CreateWebhookDto {
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Length(1, 80, { message: 'name must be 1 to 80 characters' })
  name!: string;

  @IsUUID('all', { message: 'channelId must be a channel id' })
  channelId!: string;

  /** The bot's default avatar; a post may name its own (`icon_url` / `avatar_url`). */
  @IsOptional()
  @ValidateBy({
    name: 'isHttpUrl',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && isHttpUrl(value),
      defaultMessage: () => 'avatarUrl must be an http or https URL of at most 2000 characters',
    },
  })
  avatarUrl?: string | null;
}

export interface WebhookResponseDto {
  id: string;
  name: string;
  channelId: string;
  avatarUrl: string | null;
  createdAt: number;
  createdBy: string | null;
}

/** Never carries the token or its hash. */
export const toWebhookDto = (w: WebhookRecord): WebhookResponseDto => ({
  id: w.id,
  name: w.name,
  channelId: w.channelId,
  avatarUrl: w.avatarUrl,
  createdAt: w.createdAt.getTime(),
  createdBy: w.createdBy,
});
