// Test runner configuration.
//
// Default run (`npx vitest run`): every test/**/*.test.ts except test/e2e/ — unit (test/shared,
// test/web), gateway (test/gateway), interop against real peers (test/interop), helper self-tests
// (test/helpers).
// End-to-end run: `TABTORRENT_E2E=1 npx vitest run`, only test/e2e/**/*.test.ts (real Chromium), one
// file at a time; scripts/test.sh runs it inside scripts/in-netns.sh (Chromium needs an interface
// with a default route for WebRTC; see DESIGN.md).
import { configDefaults, defineConfig } from 'vitest/config';

const e2e = process.env.TABTORRENT_E2E === '1';

export default defineConfig({
  test: {
    include: e2e ? ['test/e2e/**/*.test.ts'] : ['test/**/*.test.ts'],
    exclude: e2e ? [...configDefaults.exclude] : [...configDefaults.exclude, 'test/e2e/**'],
    setupFiles: ['test/helpers/setup.ts'],
    // Child processes (peers, gateway, Chromium) are real; forks isolate them best.
    pool: 'forks',
    // Interop tests wait for real peers: up to a minute. End-to-end tests drive a browser.
    testTimeout: e2e ? 180_000 : 60_000,
    hookTimeout: e2e ? 120_000 : 60_000,
    teardownTimeout: 20_000,
    // Browser tests saturate both cores; run their files one after another.
    fileParallelism: !e2e,
    environment: 'node',
  },
});
