// The Tripletex sync benchmark's company and simulator, parent side: what company is served
// (shared with the simulator child), and a handle on the long-lived simulator child process
// (bench/tripletex-simulator.ts; the protocol is in bench/simulator-process.ts).

import type { TripletexStats } from '../sandbox/index.ts';
import { SimulatorProcess as SimulatorChild, type SimulatorReady as ReadyLine } from './simulator-process.ts';

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

export type SimulatorReady = ReadyLine<SimulatorName, SimulatorEndpoint>;

/** The simulator's counters since the last reset, and the simulator process's CPU time over the same span. */
export interface SimulatorStats extends TripletexStats {
  cpuMs: number;
}

/**
 * The simulator child: generates the company, serves it twice (with the Tripletex-like limit
 * and without), and answers `stats`/`reset` in order. It shares nothing with the sync child:
 * its event loop and CPU time are its own.
 */
export type SimulatorProcess = SimulatorChild<SimulatorName, SimulatorReady, SimulatorStats>;
export const SimulatorProcess = {
  start: (): Promise<SimulatorProcess> => SimulatorChild.start<SimulatorName, SimulatorReady, SimulatorStats>('tripletex-simulator.ts'),
};
