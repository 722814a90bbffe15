// The Fortnox sync benchmark's company and simulator, parent side: what company is served
// (shared with the simulator child), and a handle on the long-lived simulator child process
// (bench/fortnox-simulator.ts; the protocol is in bench/simulator-process.ts).

import type { FortnoxStats } from '../sandbox/index.ts';
import { SimulatorProcess, type SimulatorReady } from './simulator-process.ts';

/** The served company: three fiscal years (2024–2026) of 100 000 lines each, seed fixed. */
export const FORTNOX_COMPANY = { seed: 2027, country: 'SE', linesPerYear: 100_000, years: 3, currentYear: 2026 } as const;
/** Documents over the three years (receipts, supplier and customer invoices). */
export const FORTNOX_DOCUMENTS = 5_000;
/** The sync's "today": every generated year has started, none is skipped. */
export const FORTNOX_TODAY = '2026-12-31';
/** Fortnox's limit per client and tenant, as the simulator applies it by default. */
export const FORTNOX_LIMIT = { limit: 25, windowMs: 5_000 } as const;
/** The same simulator with the limit out of reach: the processing floor. */
export const FORTNOX_NO_LIMIT = { limit: 1_000_000, windowMs: 1_000 } as const;
/** Fortnox's largest page (`limit`): what a voucher-by-voucher read would list vouchers with. */
export const FORTNOX_MAX_PAGE = 500;

export type FortnoxSimulatorName = 'limited' | 'unlimited';

export interface FortnoxEndpoint {
  /** `http://127.0.0.1:<port>/3` */
  apiBaseUrl: string;
  /** `http://127.0.0.1:<port>/oauth-v1` */
  oauthBaseUrl: string;
  clientId: string;
  clientSecret: string;
  rateLimit: { limit: number; windowMs: number };
}

export type FortnoxSimulatorReady = SimulatorReady<FortnoxSimulatorName, FortnoxEndpoint> & { documents: number };

/** The simulator's counters since the last reset, and the simulator process's CPU time over the same span. */
export interface FortnoxSimulatorStats extends FortnoxStats {
  cpuMs: number;
}

export type FortnoxSimulatorProcess = SimulatorProcess<FortnoxSimulatorName, FortnoxSimulatorReady, FortnoxSimulatorStats>;
export const startFortnoxSimulator = (): Promise<FortnoxSimulatorProcess> =>
  SimulatorProcess.start<FortnoxSimulatorName, FortnoxSimulatorReady, FortnoxSimulatorStats>('fortnox-simulator.ts');
