// The Fiken sync benchmark's company and simulator, parent side: what company is served
// (shared with the simulator child), and a handle on the long-lived simulator child process
// (bench/fiken-simulator.ts; the protocol is in bench/simulator-process.ts).

import type { FikenStats } from '../sandbox/index.ts';
import { SimulatorProcess, type SimulatorReady } from './simulator-process.ts';

/** The served company: three fiscal years (2024–2026) of 100 000 lines each, seed fixed. */
export const FIKEN_COMPANY = { seed: 2026, country: 'NO', linesPerYear: 100_000, years: 3, currentYear: 2026 } as const;
/** The sync's "today": every generated year has started, none is skipped. */
export const FIKEN_TODAY = '2026-12-31';
/** Fiken's limit per user, as the simulator applies it by default: 4 requests in any sliding second, one at a time. */
export const FIKEN_PER_SECOND = 4;
/** The same simulator with the per-second limit out of reach (one request at a time still holds): the processing floor. */
export const FIKEN_NO_LIMIT = 1_000_000;

export type FikenSimulatorName = 'limited' | 'unlimited';

export interface FikenEndpoint {
  /** `http://127.0.0.1:<port>/api/v2` */
  apiBaseUrl: string;
  /** `http://127.0.0.1:<port>`: /oauth/authorize, /oauth/token */
  oauthBaseUrl: string;
  clientId: string;
  clientSecret: string;
  companySlug: string;
  perSecond: number;
}

export type FikenSimulatorReady = SimulatorReady<FikenSimulatorName, FikenEndpoint>;

/** The simulator's counters since the last reset, and the simulator process's CPU time over the same span. */
export interface FikenSimulatorStats extends FikenStats {
  cpuMs: number;
}

/**
 * The simulator child: generates the company, serves it twice (with Fiken's limit and
 * without the per-second one), and answers `stats`/`reset` in order.
 */
export type FikenSimulatorProcess = SimulatorProcess<FikenSimulatorName, FikenSimulatorReady, FikenSimulatorStats>;
export const startFikenSimulator = (): Promise<FikenSimulatorProcess> =>
  SimulatorProcess.start<FikenSimulatorName, FikenSimulatorReady, FikenSimulatorStats>('fiken-simulator.ts');
