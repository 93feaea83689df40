import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { Role, WorkspaceRecord } from '@parley/database';

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

export class CreateWorkspaceDto {
  @IsString()
  @Length(1, 100)
  name!: string;

  @IsOptional()
  @Matches(SLUG_PATTERN, { message: 'slug must be 1-40 lowercase letters, digits or dashes' })
  slug?: string;
}

export class SwitchWorkspaceDto {
  @IsString()
  @Length(1, 40)
  workspace!: string;
}

export interface WorkspaceResponseDto {
  id: string;
  slug: string;
  name: string;
  role: Role;
  createdAt: number;
}

export const toWorkspaceDto = (w: WorkspaceRecord, role: Role): WorkspaceResponseDto => ({
  id: w.id,
  slug: w.slug,
  name: w.name,
  role,
  createdAt: w.createdAt.getTime(),
});
