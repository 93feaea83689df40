import { Controller, Get, Headers, Param, Query, Req, Res, UseInterceptors } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '../decorators/public.decorator';
import { RateLimitService } from '../rate-limit/rate-limit.service';
import { RetryAfterInterceptor } from '../rate-limit/retry-after.interceptor';
import { OAuthStartQueryDto } from './dto/oauth.dto';
import { OAuthService } from './oauth.service';

/**
 * Browser-facing login through a provider. Every route is public; the start and the callback
 * answer with redirects, not JSON (except 404 for an unknown or disabled provider).
 */
@Public()
@Controller('auth/oauth')
export class OAuthController {
  constructor(
    private readonly oauth: OAuthService,
    private readonly rateLimits: RateLimitService,
  ) {}

  // Declared before ':provider' so that "providers" is not taken for a provider's name.
  @Get('providers')
  providers() {
    const providers = this.oauth.listProviders();
    return { providers, count: providers.length };
  }

  @Get(':provider')
  @UseInterceptors(RetryAfterInterceptor)
  async start(
    @Param('provider') provider: string,
    @Query() query: OAuthStartQueryDto,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const strategy = this.oauth.provider(provider);
    // Starts count apart from callbacks; a callback that logs in takes its start back (OAuthService).
    await this.rateLimits.hit('oauth-start', { ip: req.ip ?? 'unknown' });
    res.setHeader('Cache-Control', 'no-store');
    return strategy.redirectToProvider(req, res, query.workspace);
  }

  @Get(':provider/callback')
  async callback(
    @Param('provider') provider: string,
    @Req() req: Request,
    @Res() res: Response,
    @Headers('user-agent') userAgent?: string,
  ): Promise<void> {
    const target = await this.oauth.completeLogin(this.oauth.provider(provider), req, res, userAgent);
    // The target's fragment may hold tokens: keep it out of caches and of Referer headers.
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.status(302).setHeader('Location', target);
    res.end();
  }
}
