import { Transform } from 'class-transformer';
import { IsString, Length } from 'class-validator';
import { ChannelRecord } from '@parley/database';

export class ChannelNameDto {
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Length(1, 80, { message: 'name must be 1 to 80 characters' })
  name!: string;
}

export interface ChannelResponseDto {
  id: string;
  name: string;
  createdAt: number;
  updatedAt: number | null;
}

export const toChannelDto = (c: ChannelRecord): ChannelResponseDto => ({
  id: c.id,
  name: c.name,
  createdAt: c.createdAt.getTime(),
  updatedAt: c.updatedAt?.getTime() ?? null,
});
