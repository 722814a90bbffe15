// Every importer, stopped at random moments N times (SIGKILL), and by SIGTERM and SIGINT; each
// then completed by a clean import: the ledger must equal an uninterrupted import's.
import { describe, expect, it } from 'vitest';
import { expectCrashSafeImport, twoYearFiles, type CrashSignal } from '../helpers/sync-crash.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { Random } from '../../sandbox/index.ts';
import { countOutcomes, printFiguresAfterAll, SEED, TRIALS } from './figures.ts';

printFiguresAfterAll('importers');
const moments = new Random(SEED);
const random = () => moments.next();

describe('importers under SIGKILL, SIGTERM and SIGINT', () => {
  for (const format of ['sie', 'saft'] as const) {
    it(`${format}: ${TRIALS} stops per signal at random moments, each followed by a clean import`, async () => {
      const dir = tempDir();
      const [first, second] = await twoYearFiles(dir, format, 25_000);
      const all: string[] = [];
      for (const signal of ['SIGKILL', 'SIGTERM', 'SIGINT'] as CrashSignal[]) {
        // Anywhere from the run's first write to a little past its commit (the marts' rebuild).
        const outcomes = await expectCrashSafeImport({ dir, orgId: 'crash', first, second, signal, moments: (ms) => Array.from({ length: TRIALS }, () => random() * ms * 1.1) });
        countOutcomes(`${format} ${signal}`, outcomes);
        all.push(...outcomes);
      }
      expect(all).toContain('killed mid-run');
    }, 600_000);
  }
});
