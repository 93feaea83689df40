import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { Principal } from '@parley/database';
import { assertNotConfined, isConfined } from '../auth/confinement';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import { CreateWorkspaceDto, toWorkspaceDto, WorkspaceResponseDto } from './dto/workspace.dto';
import { WorkspacesService } from './workspaces.service';

@Controller('workspaces')
export class WorkspacesController {
  constructor(private readonly workspaces: WorkspacesService) {}

  @Get()
  async list(@CurrentPrincipal() me: Principal): Promise<{ workspaces: WorkspaceResponseDto[] }> {
    const all = await this.workspaces.listFor(me.userId);
    const visible = isConfined(me) ? all.filter((w) => w.id === me.restrictedWorkspaceId) : all;
    return { workspaces: visible.map((w) => toWorkspaceDto(w, w.role)) };
  }

  @Post()
  @HttpCode(200)
  async create(
    @CurrentPrincipal() me: Principal,
    @Body() body: CreateWorkspaceDto,
  ): Promise<{ workspace: WorkspaceResponseDto }> {
    assertNotConfined(me, 'Creating a workspace');
    return { workspace: toWorkspaceDto(await this.workspaces.create(me.userId, body.name, body.slug), 'admin') };
  }
}
