// The benchmarks, parent side: which children to run against which floor, and what
// the figures and goals are. Every speed is a ratio to a floor measured in the same run.

import { readdirSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import type { ChildResult } from './child.ts';
import { type BenchInput, LOAD_LINES, ledgerLinesCsvInput, saftInput, sieInput } from './inputs.ts';
import { alternate, median, runChild } from './measure.ts';
import { benchOut, profileDir } from './paths.ts';
import type { SliceBreakdown, TimelineSummary } from './request-timeline.ts';
import type { SimulatorReady as ReadyLine } from './simulator-process.ts';
import { connectFiken } from './fiken-connect.ts';
import { FIKEN_COMPANY, FIKEN_PER_SECOND, startFikenSimulator, type FikenSimulatorName, type FikenSimulatorProcess, type FikenSimulatorStats } from './fiken-sandbox.ts';
import { SimulatorProcess, TRIPLETEX_COMPANY, TRIPLETEX_LIMIT, type SimulatorName } from './tripletex-sandbox.ts';
import { financialViews } from './financial-views.ts';
import { connectFortnox } from './fortnox-connect.ts';
import { FORTNOX_COMPANY, FORTNOX_LIMIT, FORTNOX_MAX_PAGE, startFortnoxSimulator, type FortnoxSimulatorName, type FortnoxSimulatorProcess, type FortnoxSimulatorStats } from './fortnox-sandbox.ts';
import { FENNOA_COMPANY, FENNOA_PER_SECOND, startFennoaSimulator, type FennoaSimulatorName, type FennoaSimulatorProcess } from './fennoa-sandbox.ts';

export interface Figure {
  label: string;
  measured: string;
  floor: string;
  /** In the sense the goal is stated in (time ratio, or rate ratio for the load path). */
  ratio: number | null;
  goal: string;
  /** null: context only, no goal. */
  met: boolean | null;
}

export interface Side {
  what: string;
  medianMs: number;
  samples: ChildResult[];
}

export interface BenchmarkResult {
  id: string;
  title: string;
  input: Omit<BenchInput, 'generated' | 'generateMs'>;
  /** The floor first, then the subject, then any sides measured for context. */
  sides: Side[];
  figures: Figure[];
}

export interface BenchmarkOptions {
  reps: number;
  /** Run the subject once more under --cpu-prof. */
  profile: boolean;
  log: (line: string) => void;
}

export interface Benchmark {
  id: string;
  title: string;
  input: () => Promise<BenchInput>;
  /** `profiles`: the subject's CPU profiles, main thread first, then any worker threads. */
  run: (input: BenchInput, options: BenchmarkOptions) => Promise<{ result: BenchmarkResult; profiles: string[] }>;
}

interface SideSpec {
  what: string;
  run: (profileName?: string) => Promise<ChildResult>;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const rate = (lines: number, ms: number) => `${Math.round(lines / (ms / 1000)).toLocaleString('en')} lines/s`;
const peakRss = (side: Side) => Math.max(...side.samples.map((s) => s.maxRssMb));

interface ImportTraceResult {
  phases: { readTransformStageMs: number; rssAfterStagingMb: number; checkAndCommitMs: number } | null;
}

/** One log line per sample (and any `details` lines after it); imports also tell their phases. */
function describeSample(what: string, r: ChildResult): string {
  const phases = (r['trace'] as ImportTraceResult | undefined)?.phases;
  const split = phases
    ? ` (read+transform+append ${seconds(phases.readTransformStageMs)}, checks+commit ${seconds(phases.checkAndCommitMs)}; RSS before the checks ${phases.rssAfterStagingMb} MB)`
    : '';
  const more = typeof r['describe'] === 'string' ? `, ${r['describe']}` : '';
  const details = typeof r['details'] === 'string' ? r['details'] : '';
  return `  ${what}: ${seconds(r.ms)}${split}${more}, peak RSS ${r.maxRssMb} MB, load ${String(r['loadAverage1m'])}${details}`;
}

/** The CPU profiles written for `id`: the main thread's, then its workers'. */
function profilesOf(id: string): string[] {
  let names: string[];
  try {
    names = readdirSync(profileDir);
  } catch {
    return [];
  }
  const mine = names.filter((n) => n.startsWith(`${id}.`) && n.endsWith('.cpuprofile'));
  return mine.sort((a, b) => a.length - b.length || a.localeCompare(b)).map((n) => join(profileDir, n));
}

/** Runs floor, subject (and context sides) alternately; optionally profiles the subject once. */
async function measure(id: string, options: BenchmarkOptions, specs: SideSpec[]): Promise<{ sides: Side[]; profiles: string[] }> {
  const samples = await alternate(options.reps, specs.map((s) => () => s.run()), (i, r) => options.log(describeSample(specs[i]!.what, r)));
  let profiles: string[] = [];
  if (options.profile) {
    for (const old of profilesOf(id)) rmSync(old);
    options.log(`  ${specs[1]!.what}: one more run under --cpu-prof`);
    await specs[1]!.run(id);
    profiles = profilesOf(id);
  }
  const sides = specs.map((s, i) => ({ what: s.what, medianMs: median(samples[i]!.map((r) => r.ms)), samples: samples[i]! }));
  return { sides, profiles };
}

/** A child that handled fewer or more lines than the input holds measured something else. */
function checkLines(expected: number, ...sides: Side[]): void {
  for (const side of sides) {
    for (const s of side.samples) {
      if (s['lines'] !== expected) throw new Error(`${side.what} handled ${String(s['lines'])} lines, but the input holds ${expected}.`);
    }
  }
}

function describeInput(input: BenchInput): BenchmarkResult['input'] {
  const { generated: _g, generateMs: _m, ...rest } = input;
  return rest;
}

const saftImport: Benchmark = {
  id: 'saft-import',
  title: 'SAF-T import, ~200 MB',
  input: saftInput,
  async run(input, options) {
    const { sides, profiles } = await measure(this.id, options, [
      { what: 'saxes parse floor', run: () => runChild('saft-parse-floor.ts', [input.path]) },
      { what: 'importFile', run: (profileName) => runChild('saft-import.ts', ['import', input.path], { profileName }) },
      { what: 'readSaft alone', run: () => runChild('saft-import.ts', ['read', input.path]) },
    ]);
    const [floor, subject, reader] = sides as [Side, Side, Side];
    checkLines(input.lines, subject, reader);
    const ratio = subject.medianMs / floor.medianMs;
    const peak = peakRss(subject);
    const figures: Figure[] = [
      { label: 'wall time vs bare saxes', measured: `${seconds(subject.medianMs)} (${rate(input.lines, subject.medianMs)})`, floor: seconds(floor.medianMs), ratio, goal: '≤ 2.00×', met: ratio <= 2 },
      { label: 'peak RSS of the import', measured: `${peak} MB`, floor: `${peakRss(floor)} MB`, ratio: null, goal: '≤ 400 MB', met: peak <= 400 },
      { label: 'readSaft alone vs bare saxes', measured: seconds(reader.medianMs), floor: seconds(floor.medianMs), ratio: reader.medianMs / floor.medianMs, goal: 'context', met: null },
    ];
    return { profiles, result: { id: this.id, title: this.title, input: describeInput(input), sides, figures } };
  },
};

const sieImport: Benchmark = {
  id: 'sie-import',
  title: 'SIE 4 import, 1M #TRANS',
  input: sieInput,
  async run(input, options) {
    const { sides, profiles } = await measure(this.id, options, [
      { what: 'bare readSie', run: () => runChild('sie-import.ts', ['read', input.path]) },
      { what: 'importFile', run: (profileName) => runChild('sie-import.ts', ['import', input.path], { profileName }) },
    ]);
    const [floor, subject] = sides as [Side, Side];
    checkLines(input.lines, floor, subject);
    const figures: Figure[] = [
      {
        label: 'import rate (time vs readSie)',
        measured: `${rate(input.lines, subject.medianMs)} (${seconds(subject.medianMs)})`,
        floor: `${rate(input.lines, floor.medianMs)} (${seconds(floor.medianMs)})`,
        ratio: subject.medianMs / floor.medianMs,
        goal: 'context',
        met: null,
      },
      { label: 'peak RSS of the import', measured: `${peakRss(subject)} MB`, floor: `${peakRss(floor)} MB`, ratio: null, goal: 'context', met: null },
    ];
    return { profiles, result: { id: this.id, title: this.title, input: describeInput(input), sides, figures } };
  },
};

const loadPath: Benchmark = {
  id: 'load-path',
  title: 'Load path, 1M ledger lines',
  input: ledgerLinesCsvInput,
  async run(input, options) {
    const { sides, profiles } = await measure(this.id, options, [
      { what: 'DuckDB read_csv', run: () => runChild('load-path.ts', ['csv', input.path]) },
      { what: 'ArrowAppender, batches built on a worker', run: (profileName) => runChild('load-path.ts', ['appender', String(LOAD_LINES)], { profileName }) },
    ]);
    const [floor, subject] = sides as [Side, Side];
    checkLines(LOAD_LINES, floor, subject);
    const [a, c] = [subject.samples[0]!, floor.samples[0]!];
    if (a['amountTotal'] !== c['amountTotal']) {
      throw new Error(`load path: the appender and read_csv loaded different amounts (${String(a['amountTotal'])} vs ${String(c['amountTotal'])}).`);
    }
    const ratio = floor.medianMs / subject.medianMs; // lines/s of the appender ÷ lines/s of read_csv
    const figures: Figure[] = [
      {
        label: 'append rate vs read_csv rate',
        measured: `${rate(LOAD_LINES, subject.medianMs)} (${seconds(subject.medianMs)})`,
        floor: `${rate(LOAD_LINES, floor.medianMs)} (${seconds(floor.medianMs)})`,
        ratio,
        goal: '≥ 0.50×',
        met: ratio >= 0.5,
      },
    ];
    return { profiles, result: { id: this.id, title: this.title, input: describeInput(input), sides, figures } };
  },
};

/** What a sync child (tripletex-sync.ts, fiken-sync.ts, fortnox-sync.ts) reports, with the simulator's counters for its run. */
interface SyncSample extends ChildResult {
  cpuMs: number;
  eventLoopDelayMs: { p50: number; p99: number; max: number };
  status: string;
  failed: string[];
  lines: number;
  vouchers: number;
  timeline: Omit<TimelineSummary, 'slices'> & { slices: (SliceBreakdown & { rows: number | null })[] };
  sim: SimulatorCounters;
  /** 429s the simulator answered for its limits over the run, every rule counted. */
  sim429: number;
}

/** What every simulator child counts. */
interface SimulatorCounters {
  requests: number;
  cpuMs: number;
  byPath: Record<string, number>;
}

/**
 * Requests answered 2xx, as the client saw them: the simulator counts requests, 429s and
 * faults but not other statuses (the session DELETE at the end, for one, answers 401).
 */
const answered2xx = (s: SyncSample) => s.timeline.ok2xx;
const statuses = (s: SyncSample) => Object.entries(s.timeline.byStatus).map(([status, n]) => `${n} × ${status}`).join(', ');

/** The sample whose time is the median (the lower one for an even count). */
function medianSample(side: Side): SyncSample {
  const sorted = [...side.samples].sort((a, b) => a.ms - b.ms);
  return sorted[(sorted.length - 1) >> 1] as SyncSample;
}

/** One log line per slice of a sync: where its wall time went, and whether a request was in flight. */
function describeSlices(what: string, s: SyncSample, log: (line: string) => void): void {
  const t = s.timeline;
  log(`  ${what}, slices of its median run (${seconds(s.ms)}; no request in flight for ${seconds(t.idleMs)}; latency median ${t.latencyMs.median} ms, p90 ${t.latencyMs.p90} ms; ${t.megabytes} MB received):`);
  log(`    before the first slice ${seconds(t.outside.beforeMs)}, after the last ${seconds(t.outside.afterMs)} (${t.outside.requests} requests)`);
  const rows = t.slices.map((x) => [x.label.replace(/^(tripletex|fiken|fortnox|fennoa) /, ''), seconds(x.ms), `${x.requests} req`, `${x.busyRate} req/s busy`, `idle ${seconds(x.idleMs)}`, `tail ${seconds(x.tailMs)}`, `checks ${seconds(x.checksMs)}`, `commit ${seconds(x.commitMs)}`, x.rows === null ? '' : `${x.rows.toLocaleString('en')} rows`]);
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => r[i]!.length))) ?? [];
  for (const r of rows) log(`    ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}`);
}

/** The log line's tail for one sync sample; `counts` goes right after the request statuses. */
function describeSync(r: SyncSample, sim: SimulatorCounters, counts = ''): string {
  const t = r.timeline;
  return (
    `${sim.requests} requests (${statuses(r)})${counts}, ` +
    `no request in flight ${seconds(t.idleMs)}, CPU: sync ${seconds(r.cpuMs)}, simulator ${seconds(sim.cpuMs)}, ` +
    `most starts in 1 s ${t.maxStartsIn1000ms}, event-loop delay p99 ${r.eventLoopDelayMs.p99} ms (max ${r.eventLoopDelayMs.max}), ${r.status}` +
    (t.rateLimitedAt.length ? `; 429s at ${t.rateLimitedAt.map((ms) => seconds(ms)).join(', ')}` : '')
  );
}

/**
 * What preceded each 429 (at most 5): when the requests before it started and were sent, and
 * any main-thread stall in the 1.5 s before. With one request at a time and N a second, a
 * request sent less than 1 000 ms after the N-th before it went too early on the wire, though
 * the rate queue may have let it go in time.
 */
function describe429s(r: SyncSample): string {
  const context = r.timeline.rateLimitedContext ?? [];
  const shown = context.slice(0, 5).map((c) => {
    const nth = c.previous.at(-1);
    const prev = nth ? `the request ${c.previous.length} before it started ${nth.startAgoMs} ms and was sent ${nth.sentAgoMs ?? '?'} ms earlier` : 'no request before it';
    const stalls = c.stalls.length ? `, stalls before it: ${c.stalls.map((x) => `${x.ms} ms ${x.agoMs} ms earlier`).join(', ')}` : ', no stall over 20 ms in the 1.5 s before';
    return `
    429 sent at ${seconds(c.at)}: ${prev}${stalls}`;
  });
  return shown.join('') + (context.length > 5 ? `
    (${context.length - 5} more 429s in results.json)` : '');
}

/**
 * A rate-limited sync against its floor: checks what both sides loaded, works out the figures
 * (wall vs 2xx ÷ the server's rate, 429s, the client's pace, the processing floor, where the
 * time went), and logs the subject's median run split up and both sides' slices.
 */
function syncFigures(input: BenchInput, processing: Side, subject: Side, server: { perSecond: number; limit: string }, log: (line: string) => void): Figure[] {
  checkLines(input.lines, processing, subject);
  for (const side of [processing, subject]) {
    for (const s of side.samples as SyncSample[]) {
      if (s.status !== 'succeeded') throw new Error(`${side.what} ended ${s.status}: ${s.failed.join('; ')}`);
      if (s.vouchers !== input.vouchers) throw new Error(`${side.what} loaded ${s.vouchers} vouchers, but the company has ${String(input.vouchers)}.`);
      if (s.sim.requests !== s.timeline.requests || s.sim429 !== (s.timeline.byStatus['429'] ?? 0)) {
        log(`  note: ${side.what}: the simulator counted ${s.sim.requests} requests (${s.sim429} × 429), the client saw ${s.timeline.requests} (${statuses(s)})`);
      }
    }
  }
  const limited = subject.samples as SyncSample[];
  const perSecond = server.perSecond;
  const ok = median(limited.map(answered2xx));
  const all = median(limited.map((s) => s.sim.requests));
  const floorMs = (ok / perSecond) * 1000;
  const ratio = subject.medianMs / floorMs;
  const worst429 = Math.max(...limited.map((s) => s.sim429));
  const policy = limited[0]!['rate'] as { concurrency: number; requestsPerInterval: number; intervalMs: number };
  const policyMs = (ok / policy.requestsPerInterval) * policy.intervalMs;
  const median_ = medianSample(subject);
  const floorRate = `${seconds(floorMs)} (${ok} × 2xx ÷ ${perSecond}/s)`;
  const figures: Figure[] = [
    { label: 'wall time vs rate-limit floor', measured: seconds(subject.medianMs), floor: floorRate, ratio, goal: '≤ 1.15×', met: ratio <= 1.15 },
    { label: '429s received (worst run)', measured: String(worst429), floor: '', ratio: null, goal: '0', met: worst429 === 0 },
    { label: 'requests: all / answered 2xx', measured: `${all} / ${ok}`, floor: '', ratio: null, goal: 'context', met: null },
    {
      label: `client pace alone (${policy.requestsPerInterval} per ${policy.intervalMs} ms)`,
      measured: seconds(policyMs),
      floor: seconds(floorMs),
      ratio: policyMs / floorMs,
      goal: 'context',
      met: null,
    },
    {
      label: 'sync without the limit (processing floor)',
      measured: seconds(processing.medianMs),
      floor: seconds(floorMs),
      ratio: processing.medianMs / floorMs,
      goal: 'context: < 1 = rate-bound',
      met: null,
    },
    {
      label: 'slice tails: nothing fetched (median run)',
      measured: `${seconds(median_.timeline.slices.reduce((n, x) => n + x.tailMs, 0))} of ${seconds(median_.ms)}`,
      floor: '',
      ratio: null,
      goal: 'context',
      met: null,
    },
    {
      label: 'no request in flight (median run)',
      measured: `${seconds(median_.timeline.idleMs)} of ${seconds(median_.ms)}`,
      floor: '',
      ratio: null,
      goal: 'context',
      met: null,
    },
    {
      label: 'event-loop delay of the sync, p99 / max',
      measured: `${median_.eventLoopDelayMs.p99} / ${median_.eventLoopDelayMs.max} ms`,
      floor: '',
      ratio: null,
      goal: 'context',
      met: null,
    },
    { label: 'CPU time: sync / simulator (median run)', measured: `${seconds(median_.cpuMs)} / ${seconds(median_.sim.cpuMs)}`, floor: '', ratio: null, goal: 'context', met: null },
    { label: 'peak RSS of the sync', measured: `${peakRss(subject)} MB`, floor: `${peakRss(processing)} MB`, ratio: null, goal: 'context', met: null },
  ];
  // The subject's wall time, told apart: the client's own pace, the slices' tails (after
  // their last response nothing is fetched: the rest of the transform, checks, commit),
  // and what is left (pace lost inside the fetching, 429 retries, the run record).
  const tails = median_.timeline.slices.reduce((n, x) => n + x.tailMs, 0);
  const paceMs = (median_.timeline.ok2xx / policy.requestsPerInterval) * policy.intervalMs;
  log(
    `  ${subject.what}, its median run of ${seconds(median_.ms)} = client pace ${seconds(paceMs)} + slice tails ${seconds(tails)} ` +
      `+ the rest ${seconds(median_.ms - paceMs - tails)}; most request starts within 1 s: ${median_.timeline.maxStartsIn1000ms} (server limit ${server.limit})`,
  );
  describeSlices(subject.what, median_, log);
  describeSlices(processing.what, medianSample(processing), log);
  return figures;
}

/** A sync benchmark's input: the company its simulator child serves, and what serving it cost. */
function simulatorInput(
  provider: 'Tripletex' | 'Fiken' | 'Fortnox' | 'Fennoa',
  c: { country: string; seed: number; linesPerYear: number; years: number; currentYear: number },
  r: ReadyLine<string, unknown>,
  entries: string,
): BenchInput {
  return {
    path: `${provider.toLowerCase()}-simulator:${c.country}-seed${c.seed}-lines${c.linesPerYear}x${c.years}-cy${c.currentYear}`,
    description:
      `${provider} simulator (own process), ${c.country} seed ${c.seed}, years ${r.years.map((y) => y.label).join(', ')}: ` +
      `${r.vouchers.toLocaleString('en')} ${entries}; served in ${seconds(r.startMs)} (both simulators), RSS ${r.maxRssMb} MB`,
    bytes: 0,
    lines: r.lines,
    vouchers: r.vouchers,
    generated: true,
    generateMs: r.generateMs,
  };
}

/** The simulator child of the Tripletex benchmark: started by its input(), closed by its run(). */
let tripletexSimulator: SimulatorProcess | null = null;

const tripletexSync: Benchmark = {
  id: 'tripletex-sync',
  title: 'Tripletex sync, 3 × 100k lines',
  async input() {
    const sim = await SimulatorProcess.start();
    tripletexSimulator = sim;
    return simulatorInput('Tripletex', TRIPLETEX_COMPANY, sim.ready, 'vouchers');
  },
  async run(input, options) {
    const sim = tripletexSimulator;
    if (!sim) throw new Error('tripletex-sync: input() did not start the simulator');
    try {
      const sync = (name: SimulatorName) => async (profileName?: string): Promise<ChildResult> => {
        const e = sim.ready.endpoints[name];
        await sim.reset(name);
        await sleep(e.rateLimit.windowMs + 100); // no window of an earlier run is still counting
        const r = (await runChild('tripletex-sync.ts', [name, e.baseUrl, e.consumerToken, e.employeeToken], { profileName })) as SyncSample;
        const stats = await sim.stats(name);
        return { ...r, sim: stats, sim429: stats.rateLimited, describe: describeSync(r, stats) };
      };
      const { sides, profiles } = await measure(this.id, options, [
        { what: 'sync, no rate limit (processing floor)', run: sync('unlimited') },
        { what: 'sync, Tripletex-like limit', run: sync('limited') },
      ]);
      const [processing, subject] = sides as [Side, Side];
      const perSecond = TRIPLETEX_LIMIT.limit / (TRIPLETEX_LIMIT.windowMs / 1000);
      const figures = syncFigures(input, processing, subject, { perSecond, limit: String(TRIPLETEX_LIMIT.limit) }, options.log);
      return { profiles, result: { id: this.id, title: this.title, input: describeInput(input), sides: [processing, subject], figures } };
    } finally {
      tripletexSimulator = null;
      await sim.close();
    }
  },
};

/** The simulator child of the Fiken benchmark: started by its input(), closed by its run(). */
let fikenSimulator: FikenSimulatorProcess | null = null;

const fikenSync: Benchmark = {
  id: 'fiken-sync',
  title: 'Fiken sync, 3 × 100k lines',
  async input() {
    const sim = await startFikenSimulator();
    fikenSimulator = sim;
    return simulatorInput('Fiken', FIKEN_COMPANY, sim.ready, 'journal entries');
  },
  async run(input, options) {
    const sim = fikenSimulator;
    if (!sim) throw new Error('fiken-sync: input() did not start the simulator');
    // One consent per simulator, stored where the sync children read it.
    const credentials = (name: FikenSimulatorName) => join(benchOut, 'tmp', `fiken-credentials-${name}-${process.pid}`);
    try {
      for (const name of ['unlimited', 'limited'] as const) {
        rmSync(credentials(name), { recursive: true, force: true });
        await connectFiken(sim.ready.endpoints[name], credentials(name));
      }
      const sync = (name: FikenSimulatorName) => async (profileName?: string): Promise<ChildResult> => {
        const e = sim.ready.endpoints[name];
        await sim.reset(name);
        await sleep(1_000 + 100); // no request of an earlier run is still in the sliding second
        const r = (await runChild('fiken-sync.ts', [name, credentials(name), e.apiBaseUrl, e.oauthBaseUrl, e.companySlug], { profileName })) as SyncSample;
        const stats = await sim.stats(name);
        const sim429 = stats.rateLimited + stats.concurrentRejected;
        const counts = `; 429s: ${stats.rateLimited} over the second, ${stats.concurrentRejected} not one at a time; ${stats.refreshes} token refreshes`;
        const stalls = r.timeline.stalls ? `; main-thread stalls over 50 ms: ${r.timeline.stalls.over50ms} (longest ${r.timeline.stalls.longestMs} ms)` : '';
        return { ...r, sim: stats, sim429, describe: describeSync(r, stats, counts) + stalls, details: describe429s(r) };
      };
      const { sides, profiles } = await measure(this.id, options, [
        { what: 'sync, one at a time, no per-second limit (processing floor)', run: sync('unlimited') },
        { what: "sync, Fiken's limit", run: sync('limited') },
      ]);
      const [processing, subject] = sides as [Side, Side];
      const figures = syncFigures(input, processing, subject, { perSecond: FIKEN_PER_SECOND, limit: `${FIKEN_PER_SECOND}, one at a time` }, options.log);
      const limited = subject.samples as (SyncSample & { sim: FikenSimulatorStats })[];
      const worst = (f: (s: FikenSimulatorStats) => number) => Math.max(...limited.map((s) => f(s.sim)));
      const median_ = medianSample(subject);
      const unlimited = medianSample(processing);
      // After the 429 figure: which rule the 429s broke, and the refreshes.
      figures.splice(
        2,
        0,
        {
          label: `429s: over ${FIKEN_PER_SECOND} a second / not one at a time (worst)`,
          measured: `${worst((s) => s.rateLimited)} / ${worst((s) => s.concurrentRejected)}`,
          floor: '',
          ratio: null,
          goal: 'context',
          met: null,
        },
        { label: 'token refreshes (worst run)', measured: String(worst((s) => s.refreshes)), floor: '', ratio: null, goal: 'context', met: null },
      );
      // A stall of the sync's main thread after the queue let a request go sends it late, closer to the next ones.
      const stalls = limited.map((s) => s.timeline.stalls ?? { over50ms: 0, longestMs: 0 });
      figures.push({
        label: 'main-thread stalls > 50 ms (worst run) / longest',
        measured: `${Math.max(...stalls.map((x) => x.over50ms))} / ${Math.max(...stalls.map((x) => x.longestMs))} ms`,
        floor: '',
        ratio: null,
        goal: 'context',
        met: null,
      });
      // One at a time: the time with a request in flight is the sum of the latencies.
      figures.push({
        label: 'request in flight: limited / unlimited (median runs)',
        measured: `${seconds(median_.timeline.busyMs)} / ${seconds(unlimited.timeline.busyMs)}`,
        floor: '',
        ratio: null,
        goal: 'context',
        met: null,
      });
      return { profiles, result: { id: this.id, title: this.title, input: describeInput(input), sides: [processing, subject], figures } };
    } finally {
      fikenSimulator = null;
      for (const name of ['unlimited', 'limited'] as const) rmSync(credentials(name), { recursive: true, force: true });
      await sim.close();
    }
  },
};

/** The simulator child of the Fortnox benchmark: started by its input(), closed by its run(). */
let fortnoxSimulator: FortnoxSimulatorProcess | null = null;

/** Requests of a Fortnox run by what they were for: the ledger's SIE exports, single vouchers, documents, the rest. */
function fortnoxRequestKinds(byPath: Record<string, number>): { sie: number; vouchers: number; voucherLists: number; documents: number; oauth: number; other: number } {
  const kinds = { sie: 0, vouchers: 0, voucherLists: 0, documents: 0, oauth: 0, other: 0 };
  for (const [path, n] of Object.entries(byPath)) {
    if (path.startsWith('/3/sie/')) kinds.sie += n;
    else if (/^\/3\/vouchers\/[^/]+\/\d+$/.test(path)) kinds.vouchers += n;
    else if (path === '/3/vouchers') kinds.voucherLists += n;
    else if (/^\/3\/(archive\/|inbox\/|invoices\/[^/]+\/(print|preview))/.test(path) || path === '/3/archive') kinds.documents += n;
    else if (path.startsWith('/oauth-v1/')) kinds.oauth += n;
    else kinds.other += n;
  }
  return kinds;
}

const fortnoxSync: Benchmark = {
  id: 'fortnox-sync',
  title: 'Fortnox sync, 3 × 100k lines, 5 000 documents',
  async input() {
    const sim = await startFortnoxSimulator();
    fortnoxSimulator = sim;
    return simulatorInput('Fortnox', FORTNOX_COMPANY, sim.ready, `vouchers, ${sim.ready.documents.toLocaleString('en')} documents`);
  },
  async run(input, options) {
    const sim = fortnoxSimulator;
    if (!sim) throw new Error('fortnox-sync: input() did not start the simulator');
    const credentials = (name: FortnoxSimulatorName) => join(benchOut, 'tmp', `fortnox-credentials-${name}-${process.pid}`);
    try {
      for (const name of ['unlimited', 'limited'] as const) {
        rmSync(credentials(name), { recursive: true, force: true });
        await connectFortnox(sim.ready.endpoints[name], credentials(name));
      }
      const sync = (name: FortnoxSimulatorName) => async (profileName?: string): Promise<ChildResult> => {
        const e = sim.ready.endpoints[name];
        await sim.reset(name);
        await sleep(e.rateLimit.windowMs + 100); // no request of an earlier run is still in the sliding window
        const r = (await runChild('fortnox-sync.ts', [name, credentials(name), e.apiBaseUrl, e.oauthBaseUrl], { profileName })) as SyncSample;
        const stats = await sim.stats(name);
        const k = fortnoxRequestKinds(stats.byPath);
        const counts = `; 429s: ${stats.rateLimited}; ${stats.refreshes} token refreshes; SIE ${k.sie}, single vouchers ${k.vouchers}, documents ${k.documents} (${String(r['documents'])} stored), other ${k.other}`;
        return { ...r, sim: stats, sim429: stats.rateLimited, describe: describeSync(r, stats, counts), details: describe429s(r) };
      };
      const { sides, profiles } = await measure(this.id, options, [
        { what: 'sync, no rate limit (processing floor)', run: sync('unlimited') },
        { what: "sync, Fortnox's limit (25 per 5 s)", run: sync('limited') },
      ]);
      const [processing, subject] = sides as [Side, Side];
      const perSecond = FORTNOX_LIMIT.limit / (FORTNOX_LIMIT.windowMs / 1000);
      const figures = syncFigures(input, processing, subject, { perSecond, limit: `${FORTNOX_LIMIT.limit} per ${FORTNOX_LIMIT.windowMs / 1000} s` }, options.log);
      const median_ = medianSample(subject) as SyncSample & { sim: FortnoxSimulatorStats; documents: number | null };
      const k = fortnoxRequestKinds(median_.sim.byPath);
      // A voucher-by-voucher read: the year's list in pages of the largest size, then one request per voucher.
      const years = sim.ready.years;
      const oneByOne = years.reduce((n, y) => n + Math.ceil(y.vouchers / FORTNOX_MAX_PAGE) + y.vouchers, 0);
      const ledger = k.sie + k.vouchers + k.voucherLists;
      const documents = sim.ready.documents;
      figures.splice(
        3,
        0,
        {
          label: 'ledger requests: SIE path vs voucher by voucher',
          measured: `${ledger} (SIE ${k.sie}, lists ${k.voucherLists}, single ${k.vouchers})`,
          floor: `${oneByOne.toLocaleString('en')}`,
          ratio: ledger / oneByOne,
          goal: 'context',
          met: null,
        },
        {
          label: `document requests / documents (${documents.toLocaleString('en')} in the company)`,
          measured: `${k.documents} / ${String(median_.documents ?? 'no document table')}`,
          floor: seconds((k.documents / perSecond) * 1000),
          ratio: documents ? k.documents / documents : null,
          goal: 'context: requests per document',
          met: null,
        },
        { label: 'token refreshes (median run)', measured: String(median_.sim.refreshes), floor: '', ratio: null, goal: 'context', met: null },
      );
      return { profiles, result: { id: this.id, title: this.title, input: describeInput(input), sides: [processing, subject], figures } };
    } finally {
      fortnoxSimulator = null;
      for (const name of ['unlimited', 'limited'] as const) rmSync(credentials(name), { recursive: true, force: true });
      await sim.close();
    }
  },
};

/** The simulator child of the Fennoa benchmark: started by its input(), closed by its run(). */
let fennoaSimulator: FennoaSimulatorProcess | null = null;

const fennoaSync: Benchmark = {
  id: 'fennoa-sync',
  title: 'Fennoa sync, 3 × 100k lines',
  async input() {
    const sim = await startFennoaSimulator();
    fennoaSimulator = sim;
    return simulatorInput('Fennoa', FENNOA_COMPANY, sim.ready, 'statements');
  },
  async run(input, options) {
    const sim = fennoaSimulator;
    if (!sim) throw new Error('fennoa-sync: input() did not start the simulator');
    try {
      const sync = (name: FennoaSimulatorName) => async (profileName?: string): Promise<ChildResult> => {
        const e = sim.ready.endpoints[name];
        await sim.reset(name);
        await sleep(1_000 + 100); // no request of an earlier run is still in the sliding second
        const r = (await runChild('fennoa-sync.ts', [name, e.baseUrl, e.apiUser, e.apiKey, e.companyName], { profileName })) as SyncSample;
        const stats = await sim.stats(name);
        return { ...r, sim: stats, sim429: stats.rateLimited, describe: describeSync(r, stats) };
      };
      const { sides, profiles } = await measure(this.id, options, [
        { what: 'sync, no rate limit (processing floor)', run: sync('unlimited') },
        { what: "sync, Fennoa's limit", run: sync('limited') },
      ]);
      const [processing, subject] = sides as [Side, Side];
      const figures = syncFigures(input, processing, subject, { perSecond: FENNOA_PER_SECOND, limit: `${FENNOA_PER_SECOND} a second per IP` }, options.log);
      return { profiles, result: { id: this.id, title: this.title, input: describeInput(input), sides: [processing, subject], figures } };
    } finally {
      fennoaSimulator = null;
      await sim.close();
    }
  },
};


export const benchmarks: Benchmark[] = [saftImport, sieImport, loadPath, tripletexSync, fikenSync, fortnoxSync, fennoaSync, financialViews];
