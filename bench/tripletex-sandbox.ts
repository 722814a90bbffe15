// The Tripletex sync benchmark's company and simulator, parent side: what company is served
// (shared with the simulator child), and a handle on the long-lived simulator child process
// (bench/tripletex-simulator.ts), which answers one JSON command per stdin line.

import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { dirname } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { TripletexStats } from '../sandbox/index.ts';
import { benchDir, benchScript } from './paths.ts';

/** The served company: three fiscal years (2024–2026) of 100 000 lines each, seed fixed. */
export const TRIPLETEX_COMPANY = { seed: 2026, country: 'NO', linesPerYear: 100_000, years: 3, currentYear: 2026 } as const;
/** The sync's "today": every generated year has started, none is skipped. */
export const TRIPLETEX_TODAY = '2026-12-31';
/** Tripletex-like: 20 requests per 1 000 ms fixed window (the simulator's default). */
export const TRIPLETEX_LIMIT = { limit: 20, windowMs: 1_000 };
/** The same simulator with the limit out of reach: the processing floor. */
export const NO_LIMIT = { limit: 100_000, windowMs: 1_000 };

export type SimulatorName = 'limited' | 'unlimited';

export interface SimulatorEndpoint {
  baseUrl: string;
  consumerToken: string;
  employeeToken: string;
  rateLimit: { limit: number; windowMs: number };
}

export interface SimulatorReady {
  generateMs: number;
  /** Both simulators' start (building the served columns). */
  startMs: number;
  lines: number;
  vouchers: number;
  years: { label: string; lines: number; vouchers: number }[];
  endpoints: Record<SimulatorName, SimulatorEndpoint>;
  maxRssMb: number;
}

/** The simulator's counters since the last reset, and the simulator process's CPU time over the same span. */
export interface SimulatorStats extends TripletexStats {
  cpuMs: number;
}

export type SimulatorCommand = { cmd: 'stats' | 'reset'; sim: SimulatorName } | { cmd: 'close' };

export const SIM_MARKER = 'BENCH_SIM ';

/**
 * The simulator child: generates the company, serves it twice (with the Tripletex-like limit
 * and without), and answers `stats`/`reset` in order. It shares nothing with the sync child:
 * its event loop and CPU time are its own.
 */
export class SimulatorProcess {
  private buffer = '';
  private readonly waiting: { resolve: (value: unknown) => void; reject: (error: Error) => void }[] = [];
  private exited: Error | null = null;
  private ready_: SimulatorReady | null = null;

  private constructor(private readonly child: ChildProcessByStdio<Writable, Readable, null>) {
    child.stdout.setEncoding('utf8').on('data', (text: string) => this.receive(text));
    child.on('exit', (code, signal) => this.fail(new Error(`bench/tripletex-simulator.ts exited (${signal ?? `exit ${code}`})`)));
    child.on('error', (error) => this.fail(error));
  }

  /** What the child generated and where it serves it. */
  get ready(): SimulatorReady {
    if (!this.ready_) throw new Error('the simulator child is not ready yet');
    return this.ready_;
  }

  static async start(): Promise<SimulatorProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', benchScript('tripletex-simulator.ts')], {
      cwd: dirname(benchDir),
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const sim = new SimulatorProcess(child);
    // The first reply, unasked, is the ready message.
    sim.ready_ = (await new Promise<unknown>((resolve, reject) => sim.waiting.push({ resolve, reject }))) as SimulatorReady;
    return sim;
  }

  stats(sim: SimulatorName): Promise<SimulatorStats> {
    return this.command({ cmd: 'stats', sim }) as Promise<SimulatorStats>;
  }

  async reset(sim: SimulatorName): Promise<void> {
    await this.command({ cmd: 'reset', sim });
  }

  async close(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    await this.command({ cmd: 'close' }).catch(() => undefined);
    await exited;
  }

  private command(command: SimulatorCommand): Promise<unknown> {
    if (this.exited) return Promise.reject(this.exited);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.child.stdin.write(`${JSON.stringify(command)}\n`);
    });
  }

  private receive(text: string): void {
    this.buffer += text;
    for (let nl = this.buffer.indexOf('\n'); nl >= 0; nl = this.buffer.indexOf('\n')) {
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 1);
      if (!line.startsWith(SIM_MARKER)) continue;
      const reply = JSON.parse(line.slice(SIM_MARKER.length)) as { ok: true; value: unknown } | { ok: false; error: string };
      const waiter = this.waiting.shift();
      if (!waiter) throw new Error(`bench/tripletex-simulator.ts answered unasked: ${line}`);
      if (reply.ok) waiter.resolve(reply.value);
      else waiter.reject(new Error(`bench/tripletex-simulator.ts: ${reply.error}`));
    }
  }

  private fail(error: Error): void {
    this.exited ??= error;
    for (const w of this.waiting.splice(0)) w.reject(error);
  }
}
