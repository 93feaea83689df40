import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Built by `npm run build:web` (`vite build apps/web`): the root is this folder, the output is
// dist/web, served by the API (apps/api/src/web). Hashed files land in /assets, cached for a year.
export default defineConfig({
  plugins: [react()],
  base: '/',
  publicDir: false,
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    // Every browser the page targets supports modulepreload; no polyfill in the bundle.
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
});
