import { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express from 'express';
import pino from 'pino';
import { httpLogging, NestPinoLogger, redactUrl } from './logging';

describe('redactUrl', () => {
  it('removes tokens from query strings', () => {
    expect(redactUrl('/events?token=abc.def&lastEventId=4')).toBe('/events?token=[REDACTED]&lastEventId=4');
    expect(redactUrl('/x?a=1&access_token=zzz#frag')).toBe('/x?a=1&access_token=[REDACTED]');
    expect(redactUrl('/events?%74oken=secret.jwt')).toBe('/events?token=[REDACTED]');
    expect(redactUrl('/events?TOKEN=abc')).toBe('/events?TOKEN=[REDACTED]');
    expect(redactUrl('/health')).toBe('/health');
  });

  it('removes the code and state of an OAuth callback', () => {
    expect(redactUrl('/auth/oauth/google/callback?state=s.mac&code=4%2F0Ab&scope=email')).toBe(
      '/auth/oauth/google/callback?state=[REDACTED]&code=[REDACTED]&scope=email',
    );
  });
});

function capturingLogger(level = 'info') {
  const lines: Array<Record<string, any>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level }, sink), lines };
}

describe('httpLogging', () => {
  async function serve(level: string) {
    const { logger, lines } = capturingLogger(level);
    const app = express();
    app.use(httpLogging(logger, { quietPaths: [/^\/ingest\/[^/]+$/] }));
    app.get('/plain', (_req, res) => res.json({ ok: true }));
    app.post('/ingest/:id', (req, res) => res.status(req.params.id === 'bad' ? 401 : 200).json({}));
    const server = await new Promise<import('node:http').Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const settle = () => new Promise((r) => setTimeout(r, 50));
    return { base, lines, settle, close: () => new Promise((r) => server.close(r)) };
  }

  it('logs every ordinary request with a request id and no secrets in the URL', async () => {
    const s = await serve('info');
    try {
      const res = await fetch(`${s.base}/plain?token=secret-jwt`, { headers: { 'X-Request-Id': 'abc-123' } });
      expect(res.headers.get('x-request-id')).toBe('abc-123');
      await s.settle();
      expect(s.lines).toHaveLength(1);
      expect(s.lines[0]).toMatchObject({
        level: 30,
        req: { id: 'abc-123', method: 'GET', url: '/plain?token=[REDACTED]' },
        res: { statusCode: 200 },
      });
      expect(JSON.stringify(s.lines)).not.toContain('secret-jwt');
    } finally {
      await s.close();
    }
  });

  it('logs quiet paths only when they fail, at info level', async () => {
    const s = await serve('info');
    try {
      const ok = await fetch(`${s.base}/ingest/good`, { method: 'POST' });
      expect(ok.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      await fetch(`${s.base}/ingest/bad`, { method: 'POST' });
      await s.settle();
      expect(s.lines).toHaveLength(1);
      expect(s.lines[0]).toMatchObject({
        level: 40,
        req: { method: 'POST', url: '/ingest/bad' },
        res: { statusCode: 401 },
      });
    } finally {
      await s.close();
    }
  });

  it('logs quiet paths that succeed at debug level', async () => {
    const s = await serve('debug');
    try {
      await fetch(`${s.base}/ingest/good`, { method: 'POST' });
      await s.settle();
      expect(s.lines).toEqual([expect.objectContaining({ level: 20, res: { statusCode: 200 } })]);
    } finally {
      await s.close();
    }
  });
});

describe('NestPinoLogger', () => {
  it('writes Nest log calls as pino lines with their context and stack', () => {
    const { logger, lines } = capturingLogger('info');
    const nest = new NestPinoLogger(logger);
    nest.log('booted', 'FirstBoot');
    nest.error('it broke', 'Error: it broke\n    at x', 'Errors');
    nest.debug('hidden at info', 'Any');
    nest.log('Mapped {/health, GET} route', 'RouterExplorer'); // start-up chatter: debug
    nest.warn(new Error('as an error object'), 'Ctx');
    expect(lines).toEqual([
      expect.objectContaining({ level: 30, msg: 'booted', context: 'FirstBoot' }),
      expect.objectContaining({ level: 50, msg: 'it broke', context: 'Errors', stack: 'Error: it broke\n    at x' }),
      expect.objectContaining({
        level: 40,
        context: 'Ctx',
        err: expect.objectContaining({ message: 'as an error object' }),
      }),
    ]);
  });
});

describe('redactUrl on secret hook URLs', () => {
  const id = '3f1c2a9e-5b7d-4e8f-9a0b-1c2d3e4f5a6b';
  const secret = 'aa84c7c4e1422ba3e0d6ea719c876be30808b4917e498149674f9f2b3bdb08c7';

  it('hides the secret of /hooks/:id/:secret/message and keeps the rest', () => {
    expect(redactUrl(`/hooks/${id}/${secret}/message`)).toBe(`/hooks/${id}/[REDACTED]/message`);
    expect(redactUrl(`/hooks/${id}/${secret}/message?thread_id=42&token=x`)).toBe(
      `/hooks/${id}/[REDACTED]/message?thread_id=42&token=[REDACTED]`,
    );
    expect(redactUrl(`/HOOKS/${id}/${secret}/Message/`)).toBe(`/HOOKS/${id}/[REDACTED]/Message/`);
    expect(redactUrl(`//hooks//${id}//${secret}/message#x`)).toBe(`//hooks//${id}//[REDACTED]/message#x`);
  });

  it('hides whatever sits where an id or the secret belongs on a malformed hook URL', () => {
    expect(redactUrl(`/hooks/${secret}/message`)).toBe('/hooks/[REDACTED]/message');
    expect(redactUrl(`/hooks/${id}/${secret}`)).toBe(`/hooks/${id}/[REDACTED]`);
    expect(redactUrl(`/hooks/${id}/${secret}/messages/extra`)).toBe(`/hooks/${id}/[REDACTED]/[REDACTED]/[REDACTED]`);
  });

  it('hides the token of an ephemeral room hook /hooks/in/:code/:token and keeps the code', () => {
    const token = 'kQ2f8sJ3n0Zx5vB7mW1qL9rT4yU6iO8pA2sD4fG6hJ8';
    expect(redactUrl(`/hooks/in/X7K9M2P/${token}`)).toBe('/hooks/in/X7K9M2P/[REDACTED]');
    expect(redactUrl(`/hooks/in/x7k9m2p/${token}/?token=${token}`)).toBe(
      '/hooks/in/x7k9m2p/[REDACTED]/?token=[REDACTED]',
    );
    expect(redactUrl(`/HOOKS/IN/X7K9M2P/${token}#frag`)).toBe('/HOOKS/IN/X7K9M2P/[REDACTED]#frag');
    // A token where the code belongs, or anything after the token, is redacted too.
    expect(redactUrl(`/hooks/in/${token}`)).toBe('/hooks/in/[REDACTED]');
    expect(redactUrl(`/hooks/in/${token}/X7K9M2P`)).toBe('/hooks/in/[REDACTED]/[REDACTED]');
    expect(redactUrl(`/hooks/in/X7K9M2P/${token}/message`)).toBe('/hooks/in/X7K9M2P/[REDACTED]/[REDACTED]');
    expect(redactUrl(`//hooks//in//X7K9M2P//${token}`)).not.toContain(token);
  });

  it('leaves other paths alone', () => {
    expect(redactUrl(`/webhooks/${id}/messages`)).toBe(`/webhooks/${id}/messages`);
    expect(redactUrl('/rooms/X7K9M2P/messages')).toBe('/rooms/X7K9M2P/messages');
    expect(redactUrl('/hooksmith/abc')).toBe('/hooksmith/abc');
    expect(redactUrl('/hooks')).toBe('/hooks');
  });

  it('never writes the secret into an access line, for a success or a failure', async () => {
    const { logger, lines } = capturingLogger('debug');
    const app = express();
    app.use(httpLogging(logger, { quietPaths: [/^\/hooks\//] }));
    app.post('/hooks/:id/:secret/message', (req, res) => res.status(req.params.id === id ? 200 : 401).send('ok'));
    const server = await new Promise<import('node:http').Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      await fetch(`${base}/hooks/${id}/${secret}/message`, { method: 'POST' });
      await fetch(`${base}/hooks/wrong/${secret}/message?x=1`, { method: 'POST' });
      await new Promise((r) => setTimeout(r, 50));
      expect(lines.map((l) => l.req.url)).toEqual([
        `/hooks/${id}/[REDACTED]/message`,
        '/hooks/[REDACTED]/[REDACTED]/message?x=1',
      ]);
      expect(JSON.stringify(lines)).not.toContain(secret);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
