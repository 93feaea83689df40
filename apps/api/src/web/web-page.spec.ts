import * as fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import express from 'express';
import { defaultWebRoot, PAGE_CONTENT_SECURITY_POLICY, webPage } from './web-page';

describe('webPage', () => {
  const dirs: string[] = [];
  const servers: { close(): void }[] = [];

  const serve = async (root: string): Promise<string> => {
    const app = express();
    app.use(webPage(root));
    app.use((_req, res) => res.status(404).json({ code: 'NOT_FOUND' }));
    const server = app.listen(0, '127.0.0.1');
    servers.push(server);
    await new Promise((resolve) => server.once('listening', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  const build = (): string => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-web-'));
    dirs.push(root);
    fs.mkdirSync(path.join(root, 'assets'));
    fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>room</title>');
    fs.writeFileSync(path.join(root, 'assets', 'index-abc123.js'), 'console.log(1)');
    return root;
  };

  afterEach(() => {
    servers.splice(0).forEach((s) => s.close());
    dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
  });

  it('answers index.html for /, /chat and any /chat/:code, with the security headers and no long cache', async () => {
    const base = await serve(build());
    for (const url of ['/', '/?from=mail', '/chat', '/chat/', '/chat/X7K9M2P', '/chat/unknown-code/']) {
      const res = await fetch(base + url);
      expect({ url, status: res.status }).toEqual({ url, status: 200 });
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-security-policy')).toBe(PAGE_CONTENT_SECURITY_POLICY);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toContain('<title>room</title>');
    }
    expect(PAGE_CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(PAGE_CONTENT_SECURITY_POLICY).not.toContain('unsafe');
  });

  it('serves hashed assets for a year and a plain 404 for a missing one', async () => {
    const base = await serve(build());
    const asset = await fetch(`${base}/assets/index-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('javascript');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('x-content-type-options')).toBe('nosniff');
    const missing = await fetch(`${base}/assets/index-old.js`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('text/plain');
    expect(await missing.text()).toBe('Not found');
  });

  it('leaves everything else, other methods and deeper paths to the API', async () => {
    const base = await serve(build());
    expect((await fetch(`${base}/chat/X7K9M2P/extra`)).status).toBe(404);
    expect(await (await fetch(`${base}/rooms/X7K9M2P`)).json()).toEqual({ code: 'NOT_FOUND' });
    expect((await fetch(`${base}/chat/X7K9M2P`, { method: 'POST' })).status).toBe(404);
    // Only the root itself is the team app (its routes are in the fragment); no catch-all.
    for (const url of ['/index.html', '/c/123', '/auth/config']) {
      expect(await (await fetch(base + url)).json()).toEqual({ code: 'NOT_FOUND' });
    }
    expect((await fetch(`${base}/`, { method: 'POST' })).status).toBe(404);
  });

  it('answers a clear 503 when the page was never built, and does not crash', async () => {
    const base = await serve(path.join(os.tmpdir(), 'parley-web-missing-' + process.pid));
    for (const url of ['/', '/chat/X7K9M2P']) {
      const page = await fetch(base + url);
      expect({ url, status: page.status }).toEqual({ url, status: 503 });
      expect(page.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(await page.text()).toContain('npm run build');
    }
    expect((await fetch(`${base}/assets/index-abc123.js`)).status).toBe(404);
  });

  it('finds dist/web beside the package.json above it', () => {
    expect(defaultWebRoot()).toBe(path.resolve(__dirname, '../../../..', 'dist', 'web'));
  });
});
