// The source conformance suite: what every connector must do against its provider's sandbox
// simulator, over real loopback HTTP into a real DuckDB file. A provider's e2e test gives a
// small "subject" (how to start its simulator, connect a source to it, change the company at
// the source, check an answer against the official spec) and calls
// `describeSourceConformance`. Only the subject knows how a source is built.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RetryPolicy, Source } from '../../extract/index.ts';
import { syncOrganization, type SyncSummary } from '../../pipeline/index.ts';
import { Warehouse } from '../../load/index.ts';
import { FixedClock, type Clock, type Country } from '../../model/index.ts';
import { generateCompany, type Faults, type GeneratedCompany, type SimulatedYearTruth } from '../../sandbox/index.ts';
import { expectGeneratorTruth, movementsOf, warehouseMovements } from './ledger-truth.ts';
import { RecordingProxy, type ServedAnswer } from './recording-proxy.ts';
import { expectCrashSafeSync, type CrashSignal, type KillTrigger } from './sync-crash.ts';
import { tempDir } from './temp-dir.ts';
import { dumpLedger } from './warehouse-dump.ts';

/** What the suite needs of a provider's simulator (both sandbox simulators have it). */
export interface ConformanceSimulator {
  readonly faults: Faults;
  stats(): { injected: number };
  resetStats(): void;
  /** The company as it is served now, after mutations. */
  truth(companyIndex: number): { years: SimulatedYearTruth[] };
  close(): Promise<void>;
}

/** A source connected to the simulator, and the same connection as `ledgerhouse sync` reads it. */
export interface ConnectedSource {
  /** A fresh source on the connection; `retry` narrows the retry policy (a test that wants a quick give-up). */
  source(retry?: Partial<RetryPolicy>): Promise<Source>;
  /** A configuration whose organization is connected the same way, credentials stored under `env`'s key. */
  configPath: string;
}

/** One voucher change as the subject names vouchers (see `SourceSubject.changes`). */
export type VoucherChange = {
  voucher: string;
  change: 'inserted' | 'updated' | 'deleted';
};

export interface ChangePlan {
  add?: number;
  edit?: number;
  delete?: number;
  fiscalYearStart: string;
  seed: number;
}

export interface ConnectAt {
  /** Where the simulator is reached: its own origin, or a proxy's in front of it. */
  origin: string;
  orgId: string;
  dir: string;
  env: NodeJS.ProcessEnv;
  clock: Clock;
}

export interface SourceSubject<Sim extends ConformanceSimulator, Conn extends ConnectedSource = ConnectedSource> {
  /** `source` in the warehouse's organization row, and the suite's name. */
  provider: string;
  country: Country;
  /** The simulator serving `companies`, on `clock`, with limits loose enough for tests. */
  start(companies: GeneratedCompany[], clock: Clock): Promise<Sim>;
  /** The simulator's origin (`http://127.0.0.1:port`); the suite puts a recording proxy in front of it. */
  origin(sim: Sim): string;
  /**
   * Organization `orgId` connected to the simulator as reached at `origin` (the proxy): the
   * configuration written in `dir`, credentials stored with `env`'s key, consent given where the
   * provider needs one. Every source shares `clock`.
   */
  connect(sim: Sim, at: ConnectAt): Promise<Conn>;
  /** Changes company 0 at the source; returns the change_log rows that must follow, in `changes`' naming. */
  mutate(sim: Sim, plan: ChangePlan): VoucherChange[];
  /** The run's change_log rows named as `mutate` names them; by default by voucher_id. */
  changes?(warehouse: Warehouse, runId: string): Promise<VoucherChange[]>;
  /** Requests of the voucher stream, where 5xx bursts and dropped connections are aimed. */
  voucherPath: RegExp;
  /** Makes the source's current credentials expire at the simulator (after whatever makes them exist). */
  expireCredentials(sim: Sim, source: Source): Promise<void>;
  /** Provider-specific checks of the simulator's statistics after the fault run. */
  afterFaults?(sim: Sim): void;
  spec: {
    /** The spec's server path (`/v2`); answers outside it (OAuth endpoints) are not the spec's. */
    basePath: string;
    /** Problems with an answer; `path` is decoded and below `basePath`, `body` parsed JSON or undefined. */
    validate(method: string, path: string, status: number, body: unknown): string[];
    /**
     * Paths (below `basePath`) answered with a file, not JSON (Fortnox's SIE export): a success
     * there is checked for being a file (no HTML, no JSON), its errors as any other answer.
     */
    files?: RegExp;
  };
}

export interface ConformanceOptions {
  /** Lines per fiscal year of the generated company (3 years); small keeps `npm test` quick. */
  linesPerYear?: number;
  /** Syncs SIGKILLed (each followed by a re-run); a reliability run asks for more. */
  trials?: number;
  /** The signals the trials send, in turn: SIGKILL only unless given (SIGTERM/SIGINT end the run `interrupted`). */
  signals?: readonly CrashSignal[];
  seed?: number;
  /** "Today" for the simulator, the source and the engine alike. */
  today?: string;
}

const ORG = 'acme';
const secretKey = Buffer.alloc(32, 5).toString('base64');

/** The conformance suite for one provider, as a vitest `describe`. */
export function describeSourceConformance<Sim extends ConformanceSimulator, Conn extends ConnectedSource>(subject: SourceSubject<Sim, Conn>, options: ConformanceOptions = {}): void {
  const { linesPerYear = 1_000, trials = 1, seed = 41, today = '2026-11-22', signals = ['SIGKILL'] } = options;
  const env = { ...process.env, LEDGERHOUSE_SECRET_KEY: secretKey };

  describe(`${subject.provider} source conformance`, () => {
    // One clock for the simulators, the sources and the engine: what each calls today agrees.
    const clock = new FixedClock(today);
    const company = generateCompany({ seed, country: subject.country, linesPerYear, currentYear: Number(today.slice(0, 4)) });
    const proxies: RecordingProxy[] = [];
    const closers: (() => Promise<void>)[] = [];
    let sim: Sim;
    let proxy: RecordingProxy;

    /** A simulator of its own with a recording proxy in front; closed after the suite. */
    const startSimulator = async (): Promise<{ sim: Sim; proxy: RecordingProxy }> => {
      const s = await subject.start([company], clock);
      const p = await RecordingProxy.start(subject.origin(s));
      proxies.push(p);
      closers.push(() => p.close(), () => s.close());
      return { sim: s, proxy: p };
    };
    const connect = (s: Sim, p: RecordingProxy, dir = tempDir()) => subject.connect(s, { origin: p.origin, orgId: ORG, dir, env, clock });
    const sync = async (warehouse: Warehouse, connected: ConnectedSource, o: { full?: boolean; fiscalYear?: string } = {}): Promise<SyncSummary> =>
      syncOrganization(warehouse, await connected.source(), { orgId: ORG, clock, ...o });
    const changeLog = async (warehouse: Warehouse, runId: string): Promise<VoucherChange[]> =>
      sortChanges(
        subject.changes
          ? await subject.changes(warehouse, runId)
          : await warehouse.all<VoucherChange>('SELECT voucher_id AS voucher, change FROM change_log WHERE run_id = $1', [runId]),
      );
    const openWarehouse = () => Warehouse.open(join(tempDir(), 'w.duckdb'));

    beforeAll(async () => {
      ({ sim, proxy } = await startSimulator());
    });
    afterAll(async () => {
      for (const close of closers) await close();
    });

    it("gives the generator's trial balance per account and month, to the øre, and a second sync changes nothing", async () => {
      const connected = await connect(sim, proxy);
      const warehouse = await openWarehouse();
      try {
        const threads = () => warehouse.one<{ t: string }>("SELECT current_setting('threads')::VARCHAR AS t");
        const threadsBefore = await threads();
        const first = await sync(warehouse, connected);
        expect(first.status).toBe('succeeded');
        // The balances the provider states tie out to the vouchers read: closing = opening + movements.
        expect(first.warnings).toEqual([]);
        // The sync leaves DuckDB a core short while it runs, and gives it back.
        expect(await threads()).toEqual(threadsBefore);
        expect(first.years.map((y) => y.label)).toEqual(company.truth.years.map((y) => y.fiscal_year.label));
        await expectGeneratorTruth(warehouse, company, ORG);
        const org = await warehouse.one<{ name: string; source: string }>('SELECT name, source FROM organization WHERE org_id = $1', [ORG]);
        expect(org).toEqual({ name: company.organization.name, source: subject.provider });

        const before = await dumpLedger(warehouse);
        const second = await sync(warehouse, connected, { full: true });
        expect(second.status).toBe('succeeded');
        expect(second.streams.filter((s) => s.changes.inserted + s.changes.updated + s.changes.deleted > 0)).toEqual([]);
        expect(await changeLog(warehouse, second.runId)).toEqual([]);
        expect(await dumpLedger(warehouse)).toEqual(before);
      } finally {
        warehouse.close();
      }
    });

    it('shows exactly the vouchers the source added, edited and deleted in change_log, and a closed year when asked for', async () => {
      // Its own simulator: the changes must not reach the other tests' company.
      const local = await startSimulator();
      const connected = await connect(local.sim, local.proxy);
      const warehouse = await openWarehouse();
      try {
        const years = (await sync(warehouse, connected)).years;
        const current = years.at(-1)!;
        const closed = years[0]!;
        expect(closed.is_closed).toBe(true);
        const expected = subject.mutate(local.sim, { add: 3, edit: 3, delete: 2, fiscalYearStart: current.start_date, seed: 5 });
        const expectedClosed = subject.mutate(local.sim, { edit: 1, fiscalYearStart: closed.start_date, seed: 6 });

        const summary = await sync(warehouse, connected);
        expect(summary.status).toBe('succeeded');
        expect(await changeLog(warehouse, summary.runId)).toEqual(sortChanges(expected));
        const truth = local.sim.truth(0).years;
        const truthOf = (start: string) => truth.find((y) => y.start === start)!;
        expect(await warehouseMovements(warehouse, ORG, current.start_date)).toEqual(movementsOf(truthOf(current.start_date).movements));
        // An incremental stream reads what changed, not the year again.
        const incremental = new Set((await connected.source()).streams.filter((s) => s.incremental).map((s) => s.name));
        for (const s of summary.streams.filter((o) => incremental.has(o.stream) && o.slice === current.label)) {
          expect(s.rows, `${s.stream} ${s.slice}`).toBeLessThan(truthOf(current.start_date).vouchers / 4);
        }
        // A closed year read within the week is not read again…
        const closedSlices = summary.streams.filter((s) => s.slice === closed.label);
        expect(closedSlices.length).toBeGreaterThan(0);
        expect(closedSlices.filter((s) => s.status !== 'skipped')).toEqual([]);

        // …unless asked for.
        const asked = await sync(warehouse, connected, { fiscalYear: closed.label });
        expect(asked.status).toBe('succeeded');
        expect(await changeLog(warehouse, asked.runId)).toEqual(sortChanges(expectedClosed));
        expect(await warehouseMovements(warehouse, ORG, closed.start_date)).toEqual(movementsOf(truthOf(closed.start_date).movements));
      } finally {
        warehouse.close();
      }
    });

    it('survives 429 storms, 5xx bursts, dropped connections and expired credentials without losing data', async () => {
      const connected = await connect(sim, proxy);
      const warehouse = await openWarehouse();
      try {
        sim.resetStats();
        sim.faults.inject({ kind: 'status', status: 429, count: 10 });
        sim.faults.inject({ kind: 'status', status: 503, count: 3, path: subject.voucherPath });
        sim.faults.inject({ kind: 'drop', count: 3, path: subject.voucherPath });
        sim.faults.inject({ kind: 'status', status: 500, count: 2, path: subject.voucherPath });
        const source = await connected.source();
        await subject.expireCredentials(sim, source);
        const summary = await syncOrganization(warehouse, source, { orgId: ORG, clock });
        expect(summary.status).toBe('succeeded');
        expect(sim.stats().injected).toBe(10 + 3 + 3 + 2);
        subject.afterFaults?.(sim);
        await expectGeneratorTruth(warehouse, company, ORG);
      } finally {
        sim.faults.clear();
        warehouse.close();
      }
    });

    it(
      `after a ${signals.join('/')} during a sync (${trials} ${trials === 1 ? 'trial' : 'trials'}), a re-run gives the same warehouse as an uninterrupted run`,
      async () => {
        const dir = tempDir();
        const connected = await connect(sim, proxy, dir);
        proxy.resetRequestCount();
        const cleanPath = await expectCrashSafeSync({
          orgId: ORG,
          configPath: connected.configPath,
          dir,
          env,
          // The CLI's calendar reads the simulator's day, whatever the machine's date.
          today,
          // Placed by request count, not time: each kill lands mid-sync however loaded the machine.
          kills: () => {
            const requests = proxy.requests;
            return Array.from({ length: trials }, (_, i) => ({
              ...afterRequests(proxy, Math.max(2, Math.round((requests * (i + 1)) / (trials + 1)))),
              signal: signals[i % signals.length],
            }));
          },
        });
        const clean = await Warehouse.open(cleanPath);
        try {
          await expectGeneratorTruth(clean, company, ORG);
        } finally {
          clean.close();
        }
      },
      90_000 + trials * 60_000,
    );

    it("answers, in every sync above, only as the provider's official spec declares", async () => {
      const inSpec = () => proxies.flatMap((p) => p.answers).filter((a) => a.path.startsWith(subject.spec.basePath + '/'));
      // Run on its own (vitest -t), it syncs once itself.
      if (inSpec().length === 0) {
        const warehouse = await openWarehouse();
        try {
          await sync(warehouse, await connect(sim, proxy));
        } finally {
          warehouse.close();
        }
      }
      const answers = inSpec();
      expect(answers.length).toBeGreaterThan(0);
      expect(answers.some((a) => subject.voucherPath.test(a.path))).toBe(true);
      const problems = new Set<string>();
      for (const a of answers) for (const p of specProblems(subject, a)) problems.add(p);
      expect([...problems].slice(0, 20)).toEqual([]);
    });
  });
}

/** Kill once the proxy has forwarded `n` requests of this run. */
function afterRequests(proxy: RecordingProxy, n: number): KillTrigger {
  return {
    label: `at request ${n}`,
    arm(kill) {
      proxy.resetRequestCount();
      // Once: a second SIGTERM/SIGINT means "stop at once", which is not the case under test.
      let fired = false;
      return proxy.onRequest((count) => {
        if (count >= n && !fired) {
          fired = true;
          kill();
        }
      });
    },
  };
}

function specProblems(subject: { spec: SourceSubject<ConformanceSimulator>['spec'] }, answer: ServedAnswer): string[] {
  const path = answer.path
    .slice(subject.spec.basePath.length)
    .split('/')
    .map((s) => decodeURIComponent(s))
    .join('/');
  if (subject.spec.files?.test(path) && answer.status < 400) {
    return /html|json/i.test(answer.contentType) ? [`${answer.method} ${path} ${answer.status}: a ${answer.contentType} body where a file was due`] : [];
  }
  let body: unknown;
  if (answer.body !== '') {
    if (!answer.contentType.includes('json')) return [`${answer.method} ${path} ${answer.status}: a ${answer.contentType || 'untyped'} body, not JSON`];
    body = JSON.parse(answer.body);
  }
  return subject.spec.validate(answer.method, path, answer.status, body).map((p) => `${answer.method} ${path} ${answer.status}: ${p}`);
}

function sortChanges(changes: VoucherChange[]): VoucherChange[] {
  return [...changes].sort((a, b) => a.change.localeCompare(b.change) || a.voucher.localeCompare(b.voucher));
}
