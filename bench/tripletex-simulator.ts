// Child process, long-lived: the Tripletex simulator for the sync benchmark, in its own
// process so it shares neither the sync's event loop nor its CPU accounting. Generates the
// company once and serves it twice on loopback: with the Tripletex-like limit (20 requests
// per 1 000 ms fixed window) and with the limit out of reach (the processing floor).
// Prints one ready line, then answers one JSON command per stdin line, in order:
//   {"cmd":"stats","sim":"limited"}   the counters since the last reset, and this process's CPU ms
//   {"cmd":"reset","sim":"limited"}   zero the counters
//   {"cmd":"close"}                    close both simulators and exit (so does the end of stdin)
// Every answer is one line `BENCH_SIM {"ok":true,"value":…}` on stdout.
//   node --import tsx bench/tripletex-simulator.ts

import { createInterface } from 'node:readline';
import { generateCompany, TripletexSimulator } from '../sandbox/index.ts';
import {
  NO_LIMIT,
  SIM_MARKER,
  TRIPLETEX_COMPANY,
  TRIPLETEX_LIMIT,
  type SimulatorCommand,
  type SimulatorEndpoint,
  type SimulatorName,
  type SimulatorReady,
  type SimulatorStats,
} from './tripletex-sandbox.ts';

const answer = (value: unknown) => process.stdout.write(`${SIM_MARKER}${JSON.stringify({ ok: true, value })}\n`);
const refuse = (error: string) => process.stdout.write(`${SIM_MARKER}${JSON.stringify({ ok: false, error })}\n`);

const generateStart = performance.now();
const company = generateCompany(TRIPLETEX_COMPANY);
const generateMs = performance.now() - generateStart;

const startStart = performance.now();
const sims: Record<SimulatorName, TripletexSimulator> = {
  limited: await TripletexSimulator.start({ companies: [company], rateLimit: TRIPLETEX_LIMIT }),
  unlimited: await TripletexSimulator.start({ companies: [company], rateLimit: NO_LIMIT }),
};
const startMs = performance.now() - startStart;

const endpoint = (sim: TripletexSimulator, rateLimit: SimulatorEndpoint['rateLimit']): SimulatorEndpoint => ({
  baseUrl: sim.baseUrl,
  consumerToken: sim.consumerToken,
  employeeToken: sim.employeeToken,
  rateLimit,
});
const years = company.truth.years.map((y) => ({ label: y.fiscal_year.label, lines: y.lineCount, vouchers: y.voucherCount }));
const ready: SimulatorReady = {
  generateMs,
  startMs,
  lines: years.reduce((n, y) => n + y.lines, 0),
  vouchers: years.reduce((n, y) => n + y.vouchers, 0),
  years,
  endpoints: { limited: endpoint(sims.limited, TRIPLETEX_LIMIT), unlimited: endpoint(sims.unlimited, NO_LIMIT) },
  maxRssMb: Math.round((process.resourceUsage().maxRSS * 1024) / 1e6),
};
answer(ready);

/** CPU time of this process when each simulator's counters were last reset. */
const cpuAtReset: Record<SimulatorName, NodeJS.CpuUsage> = { limited: process.cpuUsage(), unlimited: process.cpuUsage() };

async function closeAll(): Promise<void> {
  await Promise.all(Object.values(sims).map((s) => s.close()));
}

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
  const sim = sims[command.sim];
  if (!sim) {
    refuse(`no simulator ${String(command.sim)}`);
    continue;
  }
  if (command.cmd === 'reset') {
    sim.resetStats();
    cpuAtReset[command.sim] = process.cpuUsage();
    answer(null);
  } else if (command.cmd === 'stats') {
    const cpu = process.cpuUsage(cpuAtReset[command.sim]);
    const stats: SimulatorStats = { ...sim.stats(), cpuMs: Math.round((cpu.user + cpu.system) / 1000) };
    answer(stats);
  } else {
    refuse(`unknown command ${JSON.stringify(command)}`);
  }
}
// stdin ended: the parent is gone.
await closeAll();
process.exit(0);
