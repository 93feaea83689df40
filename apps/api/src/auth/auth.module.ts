import { createSecretKey } from 'node:crypto';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { APP_CONFIG, AppConfig, resolveJwtSecret } from '@parley/config';
import { UsersModule } from '../users/users.module';
import { WorkspacesModule } from '../workspaces/workspaces.module';
import { AuthController } from './auth.controller';
import { AuthGuard } from './guards/auth.guard';
import { LinkLoginService } from './link-tokens/link-login.service';
import { LinkTokensModule } from './link-tokens/link-tokens.module';
import { PasswordLinksService } from './password-links.service';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { OAUTH_PROVIDERS, OAuthController } from './oauth';
import { SessionsService } from './sessions.service';
import { DevStrategy } from './strategies/dev.strategy';
import { MagicLinkStrategy } from './strategies/magic-link.strategy';
import { PasswordStrategy } from './strategies/password.strategy';
import { SIGNING_SECRET, TokensService } from './tokens.service';

@Module({
  imports: [
    UsersModule,
    WorkspacesModule,
    LinkTokensModule,
    RateLimitModule,
    JwtModule.registerAsync({
      inject: [SIGNING_SECRET],
      extraProviders: [{ provide: SIGNING_SECRET, useFactory: resolveJwtSecret, inject: [APP_CONFIG] }],
      useFactory: (secret: string) => ({
        // A KeyObject, built once: given a string, jsonwebtoken re-derives the key on every
        // verify (a failed createPublicKey first), which was a tenth of a request's CPU.
        secretOrKeyProvider: (
          (key) => () =>
            key
        )(createSecretKey(Buffer.from(secret))),
        signOptions: { algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  controllers: [AuthController, OAuthController],
  providers: [
    { provide: SIGNING_SECRET, useFactory: (config: AppConfig) => resolveJwtSecret(config), inject: [APP_CONFIG] },
    TokensService,
    SessionsService,
    DevStrategy,
    PasswordStrategy,
    MagicLinkStrategy,
    LinkLoginService,
    PasswordLinksService,
    ...OAUTH_PROVIDERS,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
})
export class AuthModule {}
