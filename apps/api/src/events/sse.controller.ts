import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { BadRequestError } from '@parley/common';
import { Principal } from '@parley/database';
import type { Response } from 'express';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import { AllowQueryToken } from '../auth/decorators/query-token.decorator';
import { SseHub } from './sse-hub.service';

function parseLastEventId(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d{1,15}$/.test(raw)) throw new BadRequestError('Last-Event-ID must be an event id', 'INVALID_LAST_EVENT_ID');
  return Number(raw);
}

@Controller('events')
export class SseController {
  constructor(private readonly hub: SseHub) {}

  /** The live stream: `Last-Event-ID` (header or `?lastEventId=`) resumes where a client left off. */
  @Get()
  @AllowQueryToken()
  async stream(
    @CurrentPrincipal() me: Principal,
    @Res() res: Response,
    @Headers('last-event-id') header: string | undefined,
    @Query('lastEventId') query: string | undefined,
  ): Promise<void> {
    await this.hub.connect(me, res, parseLastEventId(header ?? (typeof query === 'string' ? query : undefined)));
  }
}
