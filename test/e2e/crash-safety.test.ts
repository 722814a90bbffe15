import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeSaftFile, writeSieFile } from '../../formats/index.ts';
import { generateCompany } from '../../sandbox/index.ts';
import { expectCrashSafeImport, type CrashSignal } from '../helpers/sync-crash.ts';
import { tempDir } from '../helpers/temp-dir.ts';

/**
 * Two consecutive years of a generated company as files of `format`: the first imported
 * uninterrupted, the second stopped mid-import. The reliability suite stops them at random
 * moments, many times (test/reliability/); this is the quick sample.
 */
export async function twoYearFiles(dir: string, format: 'sie' | 'saft', linesPerYear = 25_000): Promise<[string, string]> {
  const country = format === 'sie' ? 'SE' : 'NO';
  const company = generateCompany({ seed: 3, country, linesPerYear, years: 2, currentYear: 2026 });
  const files = company.fiscalYears.map((_, i) => join(dir, `year-${i}.${format === 'sie' ? 'se' : 'xml'}`));
  for (const [i, year] of company.fiscalYears.entries()) await (format === 'sie' ? writeSieFile : writeSaftFile)(year, files[i]!);
  return [files[0]!, files[1]!];
}

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
