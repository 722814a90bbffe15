// The three benchmarks, parent side: which children to run against which floor, and what
// the figures and goals are. Every speed is a ratio to a floor measured in the same run.

import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildResult } from './child.ts';
import { type BenchInput, LOAD_LINES, ledgerLinesCsvInput, saftInput, sieInput } from './inputs.ts';
import { alternate, median, runChild } from './measure.ts';
import { profileDir } from './paths.ts';

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

/** One log line per sample; imports also tell their phases. */
function describeSample(what: string, r: ChildResult): string {
  const phases = (r['trace'] as ImportTraceResult | undefined)?.phases;
  const split = phases
    ? ` (read+transform+append ${seconds(phases.readTransformStageMs)}, checks+commit ${seconds(phases.checkAndCommitMs)}; RSS before the checks ${phases.rssAfterStagingMb} MB)`
    : '';
  return `  ${what}: ${seconds(r.ms)}${split}, peak RSS ${r.maxRssMb} MB, load ${String(r['loadAverage1m'])}`;
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
      { what: 'BatchBuilder + ArrowAppender', run: (profileName) => runChild('load-path.ts', ['appender', String(LOAD_LINES)], { profileName }) },
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

export const benchmarks: Benchmark[] = [saftImport, sieImport, loadPath];
