import { createTestApp, TestApp } from './support/test-app';

describe('health and unknown routes', () => {
  let app: TestApp;
  beforeAll(async () => (app = await createTestApp()));
  afterAll(() => app.close());

  it('answers liveness with a plain OK', async () => {
    const res = await app.api.get('/health');
    expect(res.status).toBe(200);
    expect(res.text).toBe('OK');
    expect(res.headers.get('content-type')).toContain('text/plain');
  });

  it('answers readiness when the database is reachable', async () => {
    const res = await app.api.get('/health/ready');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', database: 'ok' });
  });

  it('answers an unknown route with a JSON 404', async () => {
    const res = await app.api.get('/no/such/route');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'Cannot GET /no/such/route', code: 'NOT_FOUND' });
  });

  it('gives every response a request id', async () => {
    const res = await app.api.get('/health', { 'X-Request-Id': 'abc-123' });
    expect(res.headers.get('x-request-id')).toBe('abc-123');
  });
});
