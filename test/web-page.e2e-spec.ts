import { PAGE_CONTENT_SECURITY_POLICY } from '../apps/api/src/web/web-page';
import { createTestApp, TestApp } from './support/test-app';

/**
 * The web page as the real app serves it (dist/web, built by the jest global setup), without a
 * browser: `/` (the team app) and `/chat` answer the same index.html with the same headers.
 */
describe('web page at / and /chat', () => {
  let app: TestApp;
  beforeAll(async () => (app = await createTestApp()));
  afterAll(() => app.close());

  const expectPage = (res: Response) => {
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(PAGE_CONTENT_SECURITY_POLICY);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('no-cache');
  };

  it('answers GET / with the same index.html as /chat, with CSP, nosniff, no-referrer and no-cache', async () => {
    const root = await fetch(`${app.baseUrl}/`);
    expectPage(root);
    const html = await root.text();
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toMatch(/<script[^>]+src="\/assets\/[^"]+\.js"/);
    const chat = await fetch(`${app.baseUrl}/chat`);
    expectPage(chat);
    expect(await chat.text()).toBe(html);
  });

  it('answers the page whatever the Accept header says (nothing else ever answered GET /)', async () => {
    const res = await fetch(`${app.baseUrl}/`, { headers: { Accept: 'application/json' } });
    expectPage(res);
    expect(await res.text()).toMatch(/^<!doctype html>/i);
  });

  it('leaves other methods on / and other paths to the API', async () => {
    const post = await app.api.post('/', {});
    expect(post.status).toBe(404);
    expect(post.body.code).toBe('NOT_FOUND');
    expect((await app.api.get('/c/123')).body.code).toBe('NOT_FOUND');
    expect((await app.api.get('/health')).text).toBe('OK');
  });
});
