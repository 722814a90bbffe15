// Child process, long-lived: the Fiken simulator (API and OAuth server) for the sync
// benchmark, in its own process so it shares neither the sync's event loop nor its CPU
// accounting. Generates the company once and serves it twice on loopback: with Fiken's limit
// (4 requests in any sliding second, one at a time, per user) and with the per-second limit
// out of reach (the processing floor; one request at a time still holds).
// Prints one ready line, then answers `stats`/`reset`/`close` on stdin (bench/simulator-process.ts).
//   node --import tsx bench/fiken-simulator.ts

import { FikenSimulator, generateCompany } from '../sandbox/index.ts';
import { FIKEN_COMPANY, FIKEN_NO_LIMIT, FIKEN_PER_SECOND, type FikenEndpoint, type FikenSimulatorName, type FikenSimulatorReady } from './fiken-sandbox.ts';
import { serveSimulators, simulatorReady } from './simulator-process.ts';

const generateStart = performance.now();
const company = generateCompany(FIKEN_COMPANY);
const generateMs = performance.now() - generateStart;

const startStart = performance.now();
const sims: Record<FikenSimulatorName, FikenSimulator> = {
  limited: await FikenSimulator.start({ companies: [company], perSecond: FIKEN_PER_SECOND }),
  unlimited: await FikenSimulator.start({ companies: [company], perSecond: FIKEN_NO_LIMIT }),
};
const startMs = performance.now() - startStart;

const endpoint = (sim: FikenSimulator, perSecond: number): FikenEndpoint => ({
  apiBaseUrl: sim.apiBaseUrl,
  oauthBaseUrl: new URL(sim.authorizeUrl).origin,
  clientId: sim.clientId,
  clientSecret: sim.clientSecret,
  companySlug: sim.companySlugs[0]!,
  perSecond,
});
const ready: FikenSimulatorReady = simulatorReady(company, { generateMs, startMs }, { limited: endpoint(sims.limited, FIKEN_PER_SECOND), unlimited: endpoint(sims.unlimited, FIKEN_NO_LIMIT) });
await serveSimulators(sims, ready);
