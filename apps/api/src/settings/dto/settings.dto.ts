import { Transform } from 'class-transformer';
import { IsString, Length } from 'class-validator';

export class UpdateSettingsDto {
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Length(1, 100, { message: 'name must be 1 to 100 characters' })
  name!: string;
}
