import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { Principal } from '@parley/database';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import { CreateWorkspaceDto, toWorkspaceDto, WorkspaceResponseDto } from './dto/workspace.dto';
import { WorkspacesService } from './workspaces.service';

@Controller('workspaces')
export class WorkspacesController {
  constructor(private readonly workspaces: WorkspacesService) {}

  @Get()
  async list(@CurrentPrincipal() me: Principal): Promise<{ workspaces: WorkspaceResponseDto[] }> {
    return { workspaces: (await this.workspaces.listFor(me.userId)).map((w) => toWorkspaceDto(w, w.role)) };
  }

  @Post()
  @HttpCode(200)
  async create(
    @CurrentPrincipal() me: Principal,
    @Body() body: CreateWorkspaceDto,
  ): Promise<{ workspace: WorkspaceResponseDto }> {
    return { workspace: toWorkspaceDto(await this.workspaces.create(me.userId, body.name, body.slug), 'admin') };
  }
}
