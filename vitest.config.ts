import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // End-to-end tests spawn the emulator; two workers match CI's two cores.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
