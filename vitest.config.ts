import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The long runs: `npm run test:reliability` (vitest.reliability.config.ts).
    exclude: ['**/node_modules/**', 'test/reliability/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // DuckDB work is CPU-bound and the machine has two cores.
    maxWorkers: 2,
  },
});
