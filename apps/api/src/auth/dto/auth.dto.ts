import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsEmail, IsOptional, IsString, IsUUID, Length, MaxLength } from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class DevLoginDto {
  @Transform(trim)
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @IsOptional()
  @IsString()
  @Length(1, 40)
  workspace?: string;
}

export class PasswordLoginDto extends DevLoginDto {
  @IsString()
  @Length(1, 1024)
  password!: string;
}

/** `POST /auth/login` and `POST /auth/request-password-reset`: ask for a mailed link. */
export class MagicLinkRequestDto extends DevLoginDto {}

export class PasswordResetRequestDto {
  @Transform(trim)
  @IsEmail()
  @MaxLength(254)
  email!: string;
}

/** `POST /auth/verify`: the token comes as `Authorization: Bearer`; the body may narrow the login. */
export class VerifyMagicLinkDto {
  @IsOptional()
  @Transform(trim)
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @IsOptional()
  @IsString()
  @Length(1, 40)
  workspace?: string;
}

const PASSWORD_RULE = { message: 'password must be at least 8 characters' };

/** `POST /auth/setup-password`: the token in the body or as `Authorization: Bearer`. */
export class SetupPasswordDto extends VerifyMagicLinkDto {
  @IsOptional()
  @IsString()
  @Length(1, 200)
  token?: string;

  @IsString()
  @Length(8, 1024, PASSWORD_RULE)
  password!: string;
}

export class RegisterDto {
  @Transform(trim)
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @IsString()
  @Length(8, 1024, PASSWORD_RULE)
  password!: string;
}

export class RefreshDto {
  @IsString()
  @Length(1, 200)
  refreshToken!: string;
}

export class RevokeSessionsDto {
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  sessionIds?: string[];
}
