import { SetMetadata } from '@nestjs/common';

export const ALLOW_QUERY_TOKEN = 'parley:allowQueryToken';
/**
 * Also accept the access token as `?token=` — for clients that cannot send headers
 * (EventSource, <img>). Such values are redacted from logs.
 */
export const AllowQueryToken = (): MethodDecorator => SetMetadata(ALLOW_QUERY_TOKEN, true);
