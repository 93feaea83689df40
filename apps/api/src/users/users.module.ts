import { Module } from '@nestjs/common';
import { LinkTokensModule } from '../auth/link-tokens/link-tokens.module';
import { RateLimitModule } from '../auth/rate-limit/rate-limit.module';
import { MembershipsService } from './memberships.service';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  imports: [LinkTokensModule, RateLimitModule],
  controllers: [UsersController],
  providers: [UsersService, MembershipsService],
  exports: [UsersService],
})
export class UsersModule {}
