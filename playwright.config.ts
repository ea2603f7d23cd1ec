import { defineConfig } from '@playwright/test';

/** End-to-end tests: Debian's Chromium (no downloaded browsers) drives the interface through the browser host. */
export default defineConfig({
  testDir: 'test/e2e',
  timeout: 90_000,
  // Two at a time: each test has its own host, vault and browser page, and most of a test's time is spent waiting on them.
  workers: 2,
  reporter: [['list'], ['json', { outputFile: '.playwright-results.json' }]],
  outputDir: 'test-results/e2e',
  use: {
    launchOptions: {
      executablePath: process.env.STRONGROOM_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
    screenshot: 'only-on-failure',
    trace: 'off',
  },
});
