// The three benchmarks, parent side: which children to run against which floor, and what
// the figures and goals are. Every speed is a ratio to a floor measured in the same run.

import type { ChildResult } from './child.ts';
import { type BenchInput, LOAD_LINES, ledgerLinesCsvInput, saftInput, sieInput } from './inputs.ts';
import { alternate, median, runChild } from './measure.ts';

export interface Figure {
  label: string;
  measured: string;
  floor: string;
  /** subject ÷ floor, in the sense the goal is stated in. */
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
  floor: Side;
  subject: Side;
  figures: Figure[];
}

export interface BenchmarkOptions {
  reps: number;
  /** Run the subject once more under --cpu-prof; the profile's path is returned. */
  profile: boolean;
  log: (line: string) => void;
}

export interface Benchmark {
  id: string;
  title: string;
  input: () => Promise<BenchInput>;
  run: (input: BenchInput, options: BenchmarkOptions) => Promise<{ result: BenchmarkResult; profile: string | null }>;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const rate = (lines: number, ms: number) => `${Math.round(lines / (ms / 1000)).toLocaleString('en')} lines/s`;
const times = (x: number) => `${x.toFixed(2)}×`;

async function measure(
  id: string,
  options: BenchmarkOptions,
  floor: { what: string; run: () => Promise<ChildResult> },
  subject: { what: string; run: (profileName?: string) => Promise<ChildResult> },
): Promise<{ floor: Side; subject: Side; profile: string | null }> {
  const samples = await alternate(options.reps, floor.run, () => subject.run(), (side, r) =>
    options.log(`  ${side === 'floor' ? floor.what : subject.what}: ${seconds(r.ms)}, peak RSS ${r.maxRssMb} MB`),
  );
  let profile: string | null = null;
  if (options.profile) {
    options.log(`  ${subject.what}: one more run under --cpu-prof`);
    await subject.run(id);
    profile = `${id}.cpuprofile`;
  }
  return {
    floor: { what: floor.what, medianMs: median(samples.floor.map((r) => r.ms)), samples: samples.floor },
    subject: { what: subject.what, medianMs: median(samples.subject.map((r) => r.ms)), samples: samples.subject },
    profile,
  };
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
    const { floor, subject, profile } = await measure(
      this.id,
      options,
      { what: 'saxes parse floor', run: () => runChild('saft-parse-floor.ts', [input.path]) },
      { what: 'importFile', run: (profileName) => runChild('saft-import.ts', [input.path], { profileName }) },
    );
    const ratio = subject.medianMs / floor.medianMs;
    const peak = Math.max(...subject.samples.map((s) => s.maxRssMb));
    return {
      profile,
      result: {
        id: this.id,
        title: this.title,
        input: describeInput(input),
        floor,
        subject,
        figures: [
          {
            label: 'wall time vs bare saxes',
            measured: `${seconds(subject.medianMs)} (${rate(input.lines, subject.medianMs)})`,
            floor: seconds(floor.medianMs),
            ratio,
            goal: '≤ 2.00×',
            met: ratio <= 2,
          },
          {
            label: 'peak RSS of the import',
            measured: `${peak} MB`,
            floor: `${Math.max(...floor.samples.map((s) => s.maxRssMb))} MB`,
            ratio: null,
            goal: '≤ 400 MB',
            met: peak <= 400,
          },
        ],
      },
    };
  },
};

const sieImport: Benchmark = {
  id: 'sie-import',
  title: 'SIE 4 import, 1M #TRANS',
  input: sieInput,
  async run(input, options) {
    const { floor, subject, profile } = await measure(
      this.id,
      options,
      { what: 'bare readSie', run: () => runChild('sie-import.ts', ['read', input.path]) },
      { what: 'importFile', run: (profileName) => runChild('sie-import.ts', ['import', input.path], { profileName }) },
    );
    return {
      profile,
      result: {
        id: this.id,
        title: this.title,
        input: describeInput(input),
        floor,
        subject,
        figures: [
          {
            label: 'import rate (time vs readSie)',
            measured: `${rate(input.lines, subject.medianMs)} (${seconds(subject.medianMs)})`,
            floor: `${rate(input.lines, floor.medianMs)} (${seconds(floor.medianMs)})`,
            ratio: subject.medianMs / floor.medianMs,
            goal: 'context',
            met: null,
          },
          {
            label: 'peak RSS of the import',
            measured: `${Math.max(...subject.samples.map((s) => s.maxRssMb))} MB`,
            floor: `${Math.max(...floor.samples.map((s) => s.maxRssMb))} MB`,
            ratio: null,
            goal: 'context',
            met: null,
          },
        ],
      },
    };
  },
};

const loadPath: Benchmark = {
  id: 'load-path',
  title: 'Load path, 1M ledger lines',
  input: ledgerLinesCsvInput,
  async run(input, options) {
    const { floor, subject, profile } = await measure(
      this.id,
      options,
      { what: 'DuckDB read_csv', run: () => runChild('load-path.ts', ['csv', input.path]) },
      { what: 'BatchBuilder + ArrowAppender', run: (profileName) => runChild('load-path.ts', ['appender', String(LOAD_LINES)], { profileName }) },
    );
    const [a, c] = [subject.samples[0]!, floor.samples[0]!];
    if (a['lines'] !== c['lines'] || a['amountTotal'] !== c['amountTotal']) {
      throw new Error(`load path: the appender and read_csv loaded different data (${a['lines']} lines, ${a['amountTotal']} vs ${c['lines']} lines, ${c['amountTotal']})`);
    }
    const ratio = floor.medianMs / subject.medianMs; // lines/s of the appender ÷ lines/s of read_csv
    return {
      profile,
      result: {
        id: this.id,
        title: this.title,
        input: describeInput(input),
        floor,
        subject,
        figures: [
          {
            label: 'append rate vs read_csv rate',
            measured: `${rate(LOAD_LINES, subject.medianMs)} (${seconds(subject.medianMs)})`,
            floor: `${rate(LOAD_LINES, floor.medianMs)} (${seconds(floor.medianMs)})`,
            ratio,
            goal: '≥ 0.50×',
            met: ratio >= 0.5,
          },
        ],
      },
    };
  },
};

export const benchmarks: Benchmark[] = [saftImport, sieImport, loadPath];
