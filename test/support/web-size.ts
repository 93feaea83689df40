import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';

const ROOT = path.resolve(__dirname, '../..');
export const WEB_DIST = path.join(ROOT, 'dist/web');

/**
 * `npm run build:web` into a temporary folder, with NODE_ENV=production. Under jest NODE_ENV is
 * `test`, and the global setup's `npm run build` then bundles React's development build (twice
 * the size): measuring dist/web from a test run would not be what `npm run build` ships.
 */
export function buildWebForProduction(): { dir: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-web-size-'));
  execFileSync(
    path.join(ROOT, 'node_modules/.bin/vite'),
    ['build', 'apps/web', '--logLevel', 'warn', '--outDir', dir, '--emptyOutDir'],
    { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } },
  );
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export interface AssetSize {
  /** The path the browser asks for (`/`, `/assets/…`). */
  url: string;
  /** What it is on the first load of `/`. */
  role: string;
  raw: number;
  /** `zlib.gzipSync` at its default level (6), what a gzipping proxy in front of Parley would send. */
  gzip: number;
}

/**
 * What a browser fetches on the first load of `/` (the team page), from the built `dist/web`:
 * index.html, the entry script and stylesheet it names, and the team chunk (`team-app-*.js` and
 * its `.css`, loaded at once by `main.tsx`'s lazy import) with any chunk it imports statically.
 * The server sends them uncompressed; the gzip column is what a gzipping proxy would send.
 */
export function firstLoadOfRoot(webDir = WEB_DIST): AssetSize[] {
  const read = (url: string) => fs.readFileSync(path.join(webDir, url === '/' ? 'index.html' : url));
  const size = (url: string, role: string): AssetSize => {
    const bytes = read(url);
    return { url, role, raw: bytes.length, gzip: gzipSync(bytes).length };
  };
  const html = read('/').toString('utf8');
  const entryJs = /<script[^>]+src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
  const entryCss = /<link[^>]+rel="stylesheet"[^>]+href="(\/assets\/[^"]+\.css)"/.exec(html)?.[1];
  if (!entryJs || !entryCss) throw new Error(`no entry script or stylesheet in ${webDir}/index.html`);
  const assets = fs.readdirSync(path.join(webDir, 'assets'));
  const teamJs = assets.find((f) => /^team-app-[\w-]+\.js$/.test(f));
  const teamCss = assets.find((f) => /^team-app-[\w-]+\.css$/.test(f));
  if (!teamJs || !teamCss) throw new Error(`no team-app chunk in ${webDir}/assets`);

  const sizes = [size('/', 'index.html'), size(entryJs, 'entry script'), size(entryCss, 'entry stylesheet')];
  const seen = new Set(sizes.map((s) => s.url));
  // The team chunk, then whatever it imports statically (the entry itself is counted already).
  const queue = [`/assets/${teamJs}`];
  while (queue.length > 0) {
    const url = queue.shift()!;
    if (seen.has(url)) continue;
    seen.add(url);
    sizes.push(size(url, url.includes('/team-app-') ? 'team chunk' : 'chunk the team chunk imports'));
    const code = read(url).toString('utf8');
    for (const m of code.matchAll(/(?:from|import)\s*"\.\/([\w.-]+\.js)"/g)) queue.push(`/assets/${m[1]}`);
  }
  sizes.push(size(`/assets/${teamCss}`, 'team stylesheet'));
  return sizes;
}

const bytes = (n: number) => n.toLocaleString('en-US');

/** A Markdown table of the sizes (bytes) with a total row. */
export function formatSizes(sizes: AssetSize[]): string {
  const total = sizes.reduce((t, s) => ({ raw: t.raw + s.raw, gzip: t.gzip + s.gzip }), { raw: 0, gzip: 0 });
  const rows = [
    ...sizes.map((s) => [`\`${s.url.replace(/-[\w-]{8}\.(js|css)$/, '-….$1')}\``, s.role, s.raw, s.gzip]),
    ['**total**', '', total.raw, total.gzip],
  ].map(([url, role, raw, gzip]) => `| ${url} | ${role} | ${bytes(raw as number)} | ${bytes(gzip as number)} |`);
  return ['| file | what | raw bytes | gzip bytes |', '| --- | --- | ---: | ---: |', ...rows].join('\n');
}
