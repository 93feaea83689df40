import { JwtService } from '@nestjs/jwt';
import { loadConfig } from '@parley/config';
import { TokensService } from './tokens.service';

const make = (secret: string) => new TokensService(new JwtService({ secret }), loadConfig({}), secret);

describe('TokensService', () => {
  const tokens = make('a'.repeat(40));
  const sessionId = '4f0c7d8e-3b1a-4c2d-9e8f-0a1b2c3d4e5f';

  it('derives refresh tokens that parse back to their session and generation', () => {
    const token = tokens.refreshTokenFor(sessionId, 3);
    expect(tokens.parseRefreshToken(token)).toEqual({ sessionId, generation: 3 });
    expect(tokens.refreshTokenFor(sessionId, 3)).toBe(token);
    expect(tokens.refreshTokenFor(sessionId, 4)).not.toBe(token);
  });

  it('rejects tampered, foreign and malformed refresh tokens', () => {
    const token = tokens.refreshTokenFor(sessionId, 1);
    expect(tokens.parseRefreshToken(token.replace('.1.', '.2.'))).toBeUndefined();
    expect(tokens.parseRefreshToken(make('b'.repeat(40)).refreshTokenFor(sessionId, 1))).toBeUndefined();
    expect(tokens.parseRefreshToken('garbage')).toBeUndefined();
    expect(tokens.parseRefreshToken('')).toBeUndefined();
  });

  it('verifies its own access tokens and nothing else', () => {
    const jwt = tokens.issueAccessToken({ sub: 'u', wid: 'w', sid: 's' });
    expect(tokens.verifyAccessToken(jwt)).toEqual({ sub: 'u', wid: 'w', sid: 's' });
    expect(make('c'.repeat(40)).verifyAccessToken(jwt)).toBeUndefined();
    expect(tokens.verifyAccessToken('not.a.jwt')).toBeUndefined();
  });
});
