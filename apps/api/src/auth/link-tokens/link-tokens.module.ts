import { Module } from '@nestjs/common';
import { LinkTokensService } from './link-tokens.service';

/** Single-use link tokens, shared by auth (login, reset) and users (invites). */
@Module({ providers: [LinkTokensService], exports: [LinkTokensService] })
export class LinkTokensModule {}
