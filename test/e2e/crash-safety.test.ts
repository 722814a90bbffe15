// The quick sample; the reliability suite stops imports at random moments, many times
// (test/reliability/import-crash.test.ts).
import { describe, expect, it } from 'vitest';
import { expectCrashSafeImport, twoYearFiles, type CrashSignal } from '../helpers/sync-crash.ts';
import { tempDir } from '../helpers/temp-dir.ts';

describe('a crash or a stop during an import', () => {
  for (const [format, signals] of [['sie', ['SIGKILL', 'SIGTERM']], ['saft', ['SIGKILL', 'SIGINT']]] as const) {
    it(`${format}: leaves the previous or the new complete ledger after ${signals.join(' or ')}, and a re-run completes it`, async () => {
      const dir = tempDir();
      const [first, second] = await twoYearFiles(dir, format, 10_000);
      const outcomes: string[] = [];
      for (const signal of signals as readonly CrashSignal[]) {
        // Half-way between the run's first write and its commit.
        outcomes.push(...(await expectCrashSafeImport({ dir, orgId: 'crash', first, second, signal, moments: (cleanMs) => [cleanMs * 0.5] })));
      }
      if (process.env.SHOW_OUTCOMES) console.info(format, outcomes);
      // At least one stop must have landed mid-import, or the test proved nothing.
      expect(outcomes).toContain('killed mid-run');
    }, 180_000);
  }
});
