// Child process, long-lived: the Tripletex simulator for the sync benchmark, in its own
// process so it shares neither the sync's event loop nor its CPU accounting. Generates the
// company once and serves it twice on loopback: with the Tripletex-like limit (20 requests
// per 1 000 ms fixed window) and with the limit out of reach (the processing floor).
// Prints one ready line, then answers `stats`/`reset`/`close` on stdin (bench/simulator-process.ts).
//   node --import tsx bench/tripletex-simulator.ts

import { generateCompany, TripletexSimulator } from '../sandbox/index.ts';
import { serveSimulators, simulatorReady } from './simulator-process.ts';
import { NO_LIMIT, TRIPLETEX_COMPANY, TRIPLETEX_LIMIT, type SimulatorEndpoint, type SimulatorName, type SimulatorReady } from './tripletex-sandbox.ts';

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
const ready: SimulatorReady = simulatorReady(company, { generateMs, startMs }, { limited: endpoint(sims.limited, TRIPLETEX_LIMIT), unlimited: endpoint(sims.unlimited, NO_LIMIT) });
await serveSimulators(sims, ready);
