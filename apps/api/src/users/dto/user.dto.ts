import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { MemberRecord, Role } from '@parley/database';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class AddUserDto {
  @Transform(trim)
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @IsOptional()
  @IsIn(['admin', 'user'])
  role?: Role;

  @IsOptional()
  @IsString()
  @Length(8, 1024, { message: 'password must be at least 8 characters' })
  password?: string;
}

export class ResetPasswordDto {
  @IsString()
  @Length(8, 1024, { message: 'password must be at least 8 characters' })
  password!: string;
}

export class SetRoleDto {
  @IsIn(['admin', 'user'])
  role!: Role;
}

export class UpdateMeDto {
  @Transform(trim)
  @IsString()
  @Length(1, 64, { message: 'userName must be 1 to 64 characters' })
  userName!: string;
}

export interface UserResponseDto {
  id: string;
  userName: string;
  email?: string;
  isAdmin: boolean;
  createdAt?: number;
}

/** E-mail addresses are shown to admins only (and to the user themself). */
export const toUserDto = (m: MemberRecord, showEmail: boolean): UserResponseDto => ({
  id: m.id,
  userName: m.userName,
  ...(showEmail ? { email: m.email } : {}),
  isAdmin: m.role === 'admin',
  createdAt: m.createdAt.getTime(),
});
