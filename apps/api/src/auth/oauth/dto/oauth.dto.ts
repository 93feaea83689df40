import { IsOptional, Matches } from 'class-validator';
import { SLUG_PATTERN } from '../../../workspaces/dto/workspace.dto';

export class OAuthStartQueryDto {
  /** The workspace the login should open; carried through the provider in the signed state. */
  @IsOptional()
  @Matches(SLUG_PATTERN, { message: 'workspace must be a workspace slug' })
  workspace?: string;
}
