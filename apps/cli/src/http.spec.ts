import { describeErrorBody, ServerError, UnreachableError, UsageError } from './errors';
import { Http, parseBaseUrl } from './http';

describe('parseBaseUrl', () => {
  it('keeps a path prefix and drops trailing slashes', () => {
    expect(parseBaseUrl('http://127.0.0.1:3000/')).toBe('http://127.0.0.1:3000');
    expect(parseBaseUrl('https://example.test/parley//')).toBe('https://example.test/parley');
  });

  it.each(['localhost:3000', 'ftp://x', 'not a url', 'http://h/?q=1'])('refuses %j as a usage error', (raw) => {
    expect(() => parseBaseUrl(raw)).toThrow(UsageError);
  });
});

describe('describeErrorBody', () => {
  it('picks the message out of the usual error shapes', () => {
    expect(describeErrorBody({ error: 'Room not found', code: 'NOT_FOUND' }, 404)).toBe('Room not found');
    expect(describeErrorBody({ detail: 'Invalid admin token' }, 403)).toBe('Invalid admin token');
    expect(describeErrorBody({ error: 'Invalid body', details: ['content: must not be empty'] }, 400)).toBe(
      'Invalid body (content: must not be empty)',
    );
    expect(describeErrorBody({ message: ['content should not be empty'] }, 422)).toBe('content should not be empty');
    expect(describeErrorBody('Bad gateway\n', 502)).toBe('Bad gateway');
    expect(describeErrorBody(null, 500)).toBe('HTTP 500');
    expect(describeErrorBody({ other: 1 }, 400)).toBe('{"other":1}');
  });
});

describe('Http', () => {
  const calls: { url: string; init?: RequestInit }[] = [];
  const answer = (status: number, body: string, headers: Record<string, string> = {}) => {
    calls.length = 0;
    const statusText = status === 404 ? 'Not Found' : '';
    return new Http('http://h:1/p', (url, init) => {
      calls.push({ url, init });
      return Promise.resolve(new Response(body, { status, statusText, headers }));
    });
  };

  it('sends JSON and parses the JSON answer', async () => {
    const http = answer(200, '{"code":"X"}', { 'content-type': 'application/json' });
    await expect(http.post('/rooms', { json: { a: 1 } })).resolves.toEqual({ code: 'X' });
    expect(calls[0].url).toBe('http://h:1/p/rooms');
    expect(calls[0].init).toMatchObject({ method: 'POST', body: '{"a":1}' });
    expect((calls[0].init?.headers as Record<string, string>)['content-type']).toBe('application/json');
  });

  it('sends a form as URL-encoded fields', async () => {
    const http = answer(200, '{"status":"ok"}');
    await http.post('/rooms/X/rename', { form: { name: 'Launch sync' } });
    const body = calls[0].init?.body as URLSearchParams;
    expect(body).toBeInstanceOf(URLSearchParams);
    expect(body.toString()).toBe('name=Launch+sync');
  });

  it('uses an absolute URL as is', async () => {
    const http = answer(200, '{}');
    await http.post('https://other/hooks/in/X/t');
    expect(calls[0].url).toBe('https://other/hooks/in/X/t');
  });

  it('turns an error status into a ServerError (exit 1) carrying status and body', async () => {
    const http = answer(404, '{"error":"Room not found"}');
    const error = await http.get('/rooms/X').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ status: 404, exitCode: 1, body: { error: 'Room not found' } });
    expect((error as Error).message).toBe('server answered 404 Not Found: Room not found');
  });

  it('says so when the server does not answer in time', async () => {
    const http = new Http('http://h:1', () => Promise.reject(new DOMException('timed out', 'TimeoutError')));
    await expect(http.get('/x')).rejects.toMatchObject({
      exitCode: 3,
      message: 'cannot reach http://h:1: no answer within 60 s',
    });
  });

  it('turns a network failure into an UnreachableError (exit 3) naming the reason', async () => {
    const http = new Http('http://h:1', () =>
      Promise.reject(new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) })),
    );
    const error = await http.get('/rooms/X').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnreachableError);
    expect(error).toMatchObject({ exitCode: 3, message: 'cannot reach http://h:1: ECONNREFUSED' });
  });
});
