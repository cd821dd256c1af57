import { defineConfig } from '@playwright/test';

// E2E: real server (dist/main/server.mjs), real SQLite, real workers, the built renderer, in
// Debian's Chromium. No mocked API. Screenshots land in test-results/screenshots/.
export default defineConfig({
  testDir: 'test/e2e',
  timeout: 180_000,
  expect: { timeout: 30_000 },
  workers: 1,
  retries: 0,
  globalSetup: './test/e2e/global-setup.ts',
  globalTeardown: './test/e2e/global-teardown.ts',
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  outputDir: 'test-results/playwright',
  use: {
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    screenshot: 'only-on-failure',
    // Every click/fill and page load has its own limit, so a spec without a whole-test clock
    // (timeout 0) still fails at the step that hangs.
    actionTimeout: 60_000,
    navigationTimeout: 60_000,
    trace: 'off',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    },
  },
});
