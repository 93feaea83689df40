import { Body, Controller, Get, Put } from '@nestjs/common';
import { Principal } from '@parley/database';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import { Roles } from '../auth/decorators/roles.decorator';
import { UpdateSettingsDto } from './dto/settings.dto';
import { SettingsService } from './settings.service';

@Controller('server/settings')
export class SettingsController {
  constructor(private readonly settings: SettingsService) {}

  @Get()
  get(@CurrentPrincipal() me: Principal): Promise<{ name: string }> {
    return this.settings.get(me.workspaceId);
  }

  @Put()
  @Roles('admin')
  update(@CurrentPrincipal() me: Principal, @Body() body: UpdateSettingsDto): Promise<{ name: string }> {
    return this.settings.update(me, body.name);
  }
}
