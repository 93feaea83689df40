import { Body, Controller, Delete, Get, HttpCode, Ip, Param, Post, Put, UseInterceptors } from '@nestjs/common';
import { Principal } from '@parley/database';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import { Roles } from '../auth/decorators/roles.decorator';
import { RetryAfterInterceptor } from '../auth/rate-limit/retry-after.interceptor';
import { AddUserDto, ResetPasswordDto, SetRoleDto, toUserDto, UpdateMeDto, UserResponseDto } from './dto/user.dto';
import { MembershipsService } from './memberships.service';
import { UsersService } from './users.service';

@Controller('users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly memberships: MembershipsService,
  ) {}

  @Get()
  async list(@CurrentPrincipal() me: Principal): Promise<{ users: UserResponseDto[] }> {
    const isAdmin = me.role === 'admin';
    return { users: (await this.users.list(me.workspaceId)).map((u) => toUserDto(u, isAdmin || u.id === me.userId)) };
  }

  /** Mails the new member (invite or notice); such adds are rate limited (429 with Retry-After). */
  @Post('add')
  @HttpCode(200)
  @Roles('admin')
  @UseInterceptors(RetryAfterInterceptor)
  async add(
    @CurrentPrincipal() me: Principal,
    @Body() body: AddUserDto,
    @Ip() ip: string | undefined,
  ): Promise<{ success: true; userId: string }> {
    const { userId } = await this.users.add(me, body.email, body.role ?? 'user', body.password, ip ?? 'unknown');
    return { success: true, userId };
  }

  @Post('exit')
  @HttpCode(200)
  async exit(@CurrentPrincipal() me: Principal): Promise<{ success: true; message: string }> {
    await this.memberships.exit(me);
    return { success: true, message: 'You have exited the server' };
  }

  @Post(':id/reset-password')
  @HttpCode(200)
  @Roles('admin')
  async resetPassword(
    @CurrentPrincipal() me: Principal,
    @Param('id') id: string,
    @Body() body: ResetPasswordDto,
  ): Promise<{ success: true }> {
    await this.memberships.resetPassword(me, id, body.password);
    return { success: true };
  }

  @Put(':id/role')
  @Roles('admin')
  async setRole(
    @CurrentPrincipal() me: Principal,
    @Param('id') id: string,
    @Body() body: SetRoleDto,
  ): Promise<{ success: true; user: UserResponseDto }> {
    return { success: true, user: toUserDto(await this.memberships.setRole(me, id, body.role), true) };
  }

  @Delete(':id')
  @Roles('admin')
  async remove(@CurrentPrincipal() me: Principal, @Param('id') id: string): Promise<{ success: true }> {
    await this.memberships.remove(me, id);
    return { success: true };
  }

  @Put('me')
  async updateMe(@CurrentPrincipal() me: Principal, @Body() body: UpdateMeDto): Promise<{ user: UserResponseDto }> {
    const { createdAt: _, ...user } = toUserDto(await this.users.updateMe(me, body.userName), true);
    return { user };
  }
}
