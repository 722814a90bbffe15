// Child process, long-lived: the Fennoa simulator for the sync benchmark, in its own process
// so it shares neither the sync's event loop nor its CPU accounting. Generates the company
// once and serves it twice on loopback: with Fennoa's limit (100 requests in any sliding
// second) and with the limit out of reach (the processing floor).
// Prints one ready line, then answers `stats`/`reset`/`close` on stdin (bench/simulator-process.ts).
//   node --import tsx bench/fennoa-simulator.ts

import { FennoaSimulator, generateCompany } from '../sandbox/index.ts';
import { FENNOA_COMPANY, FENNOA_NO_LIMIT, FENNOA_PER_SECOND, type FennoaEndpoint, type FennoaSimulatorName, type FennoaSimulatorReady } from './fennoa-sandbox.ts';
import { serveSimulators, simulatorReady } from './simulator-process.ts';

const generateStart = performance.now();
const company = generateCompany(FENNOA_COMPANY);
const generateMs = performance.now() - generateStart;

const startStart = performance.now();
const sims: Record<FennoaSimulatorName, FennoaSimulator> = {
  limited: await FennoaSimulator.start({ company, perSecond: FENNOA_PER_SECOND }),
  unlimited: await FennoaSimulator.start({ company, perSecond: FENNOA_NO_LIMIT }),
};
const startMs = performance.now() - startStart;

const endpoint = (sim: FennoaSimulator, perSecond: number): FennoaEndpoint => ({ baseUrl: sim.baseUrl, apiUser: sim.apiUser, apiKey: sim.apiKey, companyName: sim.companyName, perSecond });
const ready: FennoaSimulatorReady = simulatorReady(company, { generateMs, startMs }, { limited: endpoint(sims.limited, FENNOA_PER_SECOND), unlimited: endpoint(sims.unlimited, FENNOA_NO_LIMIT) });
await serveSimulators(sims, ready);
