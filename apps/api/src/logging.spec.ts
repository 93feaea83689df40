import { redactUrl } from './logging';

describe('redactUrl', () => {
  it('removes tokens from query strings', () => {
    expect(redactUrl('/events?token=abc.def&lastEventId=4')).toBe('/events?token=[REDACTED]&lastEventId=4');
    expect(redactUrl('/x?a=1&access_token=zzz#frag')).toBe('/x?a=1&access_token=[REDACTED]');
    expect(redactUrl('/events?%74oken=secret.jwt')).toBe('/events?token=[REDACTED]');
    expect(redactUrl('/events?TOKEN=abc')).toBe('/events?TOKEN=[REDACTED]');
    expect(redactUrl('/health')).toBe('/health');
  });
});
