import { IsNotEmpty, IsOptional, IsString, Length } from 'class-validator';

/**
 * The seed's upload body. Sizes are checked by the service (413, not 400); `filename` is the
 * client's name for the file and is never used: not for the stored name, not for the type.
 */
export class UploadImageDto {
  @IsString()
  @Length(1, 255)
  filename!: string;

  @IsString()
  @IsNotEmpty()
  image!: string;

  /** Optional; an empty string counts as not sent. */
  @IsOptional()
  @IsString()
  thumbnail?: string;
}

export interface UploadImageResponseDto {
  success: true;
  filename: string;
}
