import { Body, Controller, Get, HttpCode, Post, Put } from '@nestjs/common';
import { Principal } from '@parley/database';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import { Roles } from '../auth/decorators/roles.decorator';
import { AddUserDto, toUserDto, UpdateMeDto, UserResponseDto } from './dto/user.dto';
import { UsersService } from './users.service';

@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  async list(@CurrentPrincipal() me: Principal): Promise<{ users: UserResponseDto[] }> {
    const isAdmin = me.role === 'admin';
    return { users: (await this.users.list(me.workspaceId)).map((u) => toUserDto(u, isAdmin || u.id === me.userId)) };
  }

  @Post('add')
  @HttpCode(200)
  @Roles('admin')
  async add(@CurrentPrincipal() me: Principal, @Body() body: AddUserDto): Promise<{ success: true; userId: string }> {
    const { userId } = await this.users.add(me, body.email, body.role ?? 'user', body.password);
    return { success: true, userId };
  }

  @Put('me')
  async updateMe(@CurrentPrincipal() me: Principal, @Body() body: UpdateMeDto): Promise<{ user: UserResponseDto }> {
    const { createdAt: _, ...user } = toUserDto(await this.users.updateMe(me, body.userName), true);
    return { user };
  }
}
