import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    // One process per test file: SoftHSM2 reads its configuration once per process.
    pool: 'forks',
    // Two files at a time even on two cores (vitest's default there is one): most of a file's time is spent waiting on the token, the disk and the processes it starts.
    maxWorkers: 2,
    globalSetup: ['test/helpers/globalSetup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
