// A fault storm across every simulator at once: 429s, 5xx bursts, dropped connections, slow
// answers and expired credentials, while every connector syncs at the same time. Each sync
// must end complete and equal to the generator's truth.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { syncOrganization } from '../../pipeline/index.ts';
import { Warehouse } from '../../load/index.ts';
import { FixedClock } from '../../model/index.ts';
import { generateCompany } from '../../sandbox/index.ts';
import { expectGeneratorTruth } from '../helpers/ledger-truth.ts';
import { allSubjects } from '../helpers/subjects.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { countOutcomes, printFiguresAfterAll, TRIALS, timed } from './figures.ts';

printFiguresAfterAll('fault storms');
const clock = new FixedClock('2026-11-22');
const env = { ...process.env, LEDGERHOUSE_SECRET_KEY: Buffer.alloc(32, 9).toString('base64') };
const subjects = await allSubjects();
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers) await close();
});

describe('fault storms across all simulators at once', () => {
  for (let round = 1; round <= TRIALS; round++) {
    it(`round ${round} of ${TRIALS}: every sync ends complete and equal to the truth`, async () => {
      const runs = await Promise.all(
        subjects.map(async (subject, i) => {
          const company = generateCompany({ seed: 100 + round * 10 + i, country: subject.country, linesPerYear: 1_000, currentYear: 2026 });
          const sim = await subject.start([company], clock);
          closers.push(() => sim.close());
          const connected = await subject.connect(sim, { origin: subject.origin(sim), orgId: 'storm', dir: tempDir(), env, clock });
          // Heavier with each round.
          sim.faults.inject({ kind: 'status', status: 429, count: 10 * round });
          sim.faults.inject({ kind: 'status', status: 503, count: 3 * round, path: subject.voucherPath });
          sim.faults.inject({ kind: 'drop', count: 3 * round, path: subject.voucherPath });
          sim.faults.inject({ kind: 'slow', delayMs: 300, count: 5 * round });
          sim.faults.inject({ kind: 'status', status: 500, count: 2 * round });
          const source = await connected.source();
          await subject.expireCredentials(sim, source);
          return { subject, sim, company, source };
        }),
      );
      const results = await Promise.all(
        runs.map(async ({ subject, sim, company, source }) => {
          const warehouse = await Warehouse.open(join(tempDir(), `${subject.provider}.duckdb`));
          const started = performance.now();
          try {
            const summary = await syncOrganization(warehouse, source, { orgId: 'storm', clock });
            timed(`${subject.provider} sync in a storm`, performance.now() - started);
            expect(summary.status, `${subject.provider}: ${summary.streams.filter((s) => s.status === 'failed').map((s) => s.note).join('; ')}`).toBe('succeeded');
            expect(sim.stats().injected, `${subject.provider}: faults served`).toBeGreaterThan(0);
            await expectGeneratorTruth(warehouse, company, 'storm');
            return `${subject.provider} ${summary.status}`;
          } finally {
            sim.faults.clear();
            warehouse.close();
          }
        }),
      );
      countOutcomes('storm', results);
    }, 300_000);
  }
});
