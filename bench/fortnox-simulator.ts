// Child process, long-lived: the Fortnox simulator (API and OAuth server) for the sync
// benchmark, in its own process so it shares neither the sync's event loop nor its CPU
// accounting. Generates the company once and serves it twice on loopback: with Fortnox's limit
// (25 requests per sliding 5 s per tenant) and with the limit out of reach (the processing floor).
// Prints one ready line, then answers `stats`/`reset`/`close` on stdin (bench/simulator-process.ts).
//   node --import tsx bench/fortnox-simulator.ts

import { FortnoxSimulator, generateCompany } from '../sandbox/index.ts';
import { FixedClock } from '../model/index.ts';
import { FORTNOX_COMPANY, FORTNOX_DOCUMENTS, FORTNOX_LIMIT, FORTNOX_NO_LIMIT, FORTNOX_TODAY, type FortnoxEndpoint, type FortnoxSimulatorName, type FortnoxSimulatorReady } from './fortnox-sandbox.ts';
import { serveSimulators, simulatorReady } from './simulator-process.ts';

const generateStart = performance.now();
const company = generateCompany(FORTNOX_COMPANY);
const generateMs = performance.now() - generateStart;

// The sync child uses the same "today"; tokens live an hour of it, which a run never outlasts.
const clock = new FixedClock(FORTNOX_TODAY);
const startStart = performance.now();
const sims: Record<FortnoxSimulatorName, FortnoxSimulator> = {
  limited: await FortnoxSimulator.start({ companies: [company], clock, documents: FORTNOX_DOCUMENTS, rateLimit: FORTNOX_LIMIT }),
  unlimited: await FortnoxSimulator.start({ companies: [company], clock, documents: FORTNOX_DOCUMENTS, rateLimit: FORTNOX_NO_LIMIT }),
};
const startMs = performance.now() - startStart;

const endpoint = (sim: FortnoxSimulator, rateLimit: FortnoxEndpoint['rateLimit']): FortnoxEndpoint => ({
  apiBaseUrl: sim.apiBaseUrl,
  oauthBaseUrl: `${new URL(sim.authorizeUrl).origin}/oauth-v1`,
  clientId: sim.clientId,
  clientSecret: sim.clientSecret,
  rateLimit,
});
const ready: FortnoxSimulatorReady = {
  ...simulatorReady(company, { generateMs, startMs }, { limited: endpoint(sims.limited, FORTNOX_LIMIT), unlimited: endpoint(sims.unlimited, FORTNOX_NO_LIMIT) }),
  documents: sims.limited.documents(0).length,
};
await serveSimulators(sims, ready);
