// A long-lived simulator child of a sync benchmark (bench/tripletex-simulator.ts,
// bench/fiken-simulator.ts), both sides of its stdin/stdout protocol:
//   parent: `SimulatorProcess.start(script)` spawns it and waits for its ready line, then
//           `stats(name)`, `reset(name)` and `close()` send one JSON command per line;
//   child:  `serveSimulators(sims, ready)` prints the ready line and answers the commands, in order:
//     {"cmd":"stats","sim":"limited"}   the counters since the last reset, and the child's CPU ms
//     {"cmd":"reset","sim":"limited"}   zero the counters
//     {"cmd":"close"}                    close every simulator and exit (so does the end of stdin)
// Every answer is one line `BENCH_SIM {"ok":true,"value":…}` on stdout. The simulator shares
// neither the sync's event loop nor its CPU accounting.

import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { GeneratedCompany } from '../sandbox/index.ts';
import { benchDir, benchScript } from './paths.ts';

export type SimulatorCommand<Name extends string = string> = { cmd: 'stats' | 'reset'; sim: Name } | { cmd: 'close' };

export const SIM_MARKER = 'BENCH_SIM ';

/** A simulator child's ready line: the company it serves, its endpoints, its own cost. */
export interface SimulatorReady<Name extends string, Endpoint> {
  generateMs: number;
  /** Both simulators' start (building what they serve). */
  startMs: number;
  lines: number;
  vouchers: number;
  years: { label: string; lines: number; vouchers: number }[];
  endpoints: Record<Name, Endpoint>;
  maxRssMb: number;
}

export function simulatorReady<Name extends string, Endpoint>(
  company: GeneratedCompany,
  timings: { generateMs: number; startMs: number },
  endpoints: Record<Name, Endpoint>,
): SimulatorReady<Name, Endpoint> {
  const years = company.truth.years.map((y) => ({ label: y.fiscal_year.label, lines: y.lineCount, vouchers: y.voucherCount }));
  return {
    ...timings,
    lines: years.reduce((n, y) => n + y.lines, 0),
    vouchers: years.reduce((n, y) => n + y.vouchers, 0),
    years,
    endpoints,
    maxRssMb: Math.round((process.resourceUsage().maxRSS * 1024) / 1e6),
  };
}

/** The parent's handle on a simulator child: `Ready` is its first line, `Stats` what `stats` answers. */
export class SimulatorProcess<Name extends string, Ready, Stats> {
  private buffer = '';
  private readonly waiting: { resolve: (value: unknown) => void; reject: (error: Error) => void }[] = [];
  private exited: Error | null = null;
  private ready_: Ready | null = null;

  private constructor(
    private readonly child: ChildProcessByStdio<Writable, Readable, null>,
    private readonly script: string,
  ) {
    child.stdout.setEncoding('utf8').on('data', (text: string) => this.receive(text));
    child.on('exit', (code, signal) => this.fail(new Error(`bench/${script} exited (${signal ?? `exit ${code}`})`)));
    child.on('error', (error) => this.fail(error));
  }

  /** What the child generated and where it serves it. */
  get ready(): Ready {
    if (!this.ready_) throw new Error(`bench/${this.script}: the simulator child is not ready yet`);
    return this.ready_;
  }

  /** Spawns `node --import tsx bench/<script>` and waits for its ready line. */
  static async start<Name extends string, Ready, Stats>(script: string): Promise<SimulatorProcess<Name, Ready, Stats>> {
    const child = spawn(process.execPath, ['--import', 'tsx', benchScript(script)], {
      cwd: dirname(benchDir),
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const sim = new SimulatorProcess<Name, Ready, Stats>(child, script);
    // The first reply, unasked, is the ready message.
    sim.ready_ = (await new Promise<unknown>((resolve, reject) => sim.waiting.push({ resolve, reject }))) as Ready;
    return sim;
  }

  stats(sim: Name): Promise<Stats> {
    return this.command({ cmd: 'stats', sim }) as Promise<Stats>;
  }

  async reset(sim: Name): Promise<void> {
    await this.command({ cmd: 'reset', sim });
  }

  async close(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    await this.command({ cmd: 'close' }).catch(() => undefined);
    await exited;
  }

  private command(command: SimulatorCommand<Name>): Promise<unknown> {
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
      if (!waiter) throw new Error(`bench/${this.script} answered unasked: ${line}`);
      if (reply.ok) waiter.resolve(reply.value);
      else waiter.reject(new Error(`bench/${this.script}: ${reply.error}`));
    }
  }

  private fail(error: Error): void {
    this.exited ??= error;
    for (const w of this.waiting.splice(0)) w.reject(error);
  }
}

/** What the child side needs of a simulator. */
export interface ServedSimulator {
  stats(): object;
  resetStats(): void;
  close(): Promise<void>;
}

/**
 * The child side: prints `ready`, then answers commands until `close` or the end of stdin
 * (the parent is gone), and exits. `stats` adds `cpuMs`, this process's CPU time since that
 * simulator's last reset.
 */
export async function serveSimulators<Name extends string>(sims: Record<Name, ServedSimulator>, ready: unknown): Promise<never> {
  const answer = (value: unknown) => process.stdout.write(`${SIM_MARKER}${JSON.stringify({ ok: true, value })}\n`);
  const refuse = (error: string) => process.stdout.write(`${SIM_MARKER}${JSON.stringify({ ok: false, error })}\n`);
  const closeAll = () => Promise.all(Object.values<ServedSimulator>(sims).map((s) => s.close()));
  answer(ready);

  /** CPU time of this process when each simulator's counters were last reset. */
  const cpuAtReset = new Map<string, NodeJS.CpuUsage>(Object.keys(sims).map((name) => [name, process.cpuUsage()]));
  const input = createInterface({ input: process.stdin });
  for await (const line of input) {
    if (line.trim() === '') continue;
    let command: SimulatorCommand;
    try {
      command = JSON.parse(line) as SimulatorCommand;
    } catch {
      refuse(`not a JSON command: ${line}`);
      continue;
    }
    if (command.cmd === 'close') {
      await closeAll();
      answer(null);
      process.exit(0);
    }
    const sim = Object.hasOwn(sims, command.sim) ? sims[command.sim as Name] : undefined;
    if (!sim) {
      refuse(`no simulator ${String(command.sim)}`);
      continue;
    }
    if (command.cmd === 'reset') {
      sim.resetStats();
      cpuAtReset.set(command.sim, process.cpuUsage());
      answer(null);
    } else if (command.cmd === 'stats') {
      const cpu = process.cpuUsage(cpuAtReset.get(command.sim));
      answer({ ...sim.stats(), cpuMs: Math.round((cpu.user + cpu.system) / 1000) });
    } else {
      refuse(`unknown command ${JSON.stringify(command)}`);
    }
  }
  // stdin ended: the parent is gone.
  await closeAll();
  process.exit(0);
}
