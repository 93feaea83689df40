/**
 * Debian's Chromium and the flags every headless run here uses: the browser tests
 * (test/support/chromium.ts) and the bench's `web` phase. Never a downloaded browser.
 */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];
