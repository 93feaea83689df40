import { Module } from '@nestjs/common';
import { FirstBootService } from './first-boot.service';
import { WorkspacesController } from './workspaces.controller';
import { WorkspacesService } from './workspaces.service';

@Module({
  controllers: [WorkspacesController],
  providers: [WorkspacesService, FirstBootService],
  exports: [WorkspacesService],
})
export class WorkspacesModule {}
