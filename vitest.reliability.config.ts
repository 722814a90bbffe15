import { defineConfig } from 'vitest/config';

// `npm run test:reliability`: the long runs (crash trials, fault storms) that `npm test` only
// samples. RELIABILITY_TRIALS sets the trials per importer and connector (.ci/run bounds it).
export default defineConfig({
  test: {
    include: ['test/reliability/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
    // The figures each file prints are the point of the run.
    silent: false,
  },
});
