import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** `?limit&before` for history pages: `before` is an exclusive message id; pages run oldest → newest. */
export class PageQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @IsOptional()
  @Matches(/^[1-9][0-9]{0,17}$/, { message: 'before must be a message id' })
  before?: string;
}

export interface Page {
  limit: number;
  before: string | undefined;
}

export const toPage = (q: PageQueryDto): Page => ({
  limit: q.limit ?? DEFAULT_PAGE_SIZE,
  before: q.before,
});
