// The Fennoa sync benchmark's company and simulator, parent side: what company is served
// (shared with the simulator child), and a handle on the long-lived simulator child process
// (bench/fennoa-simulator.ts; the protocol is in bench/simulator-process.ts).

import type { FennoaStats } from '../sandbox/index.ts';
import { SimulatorProcess, type SimulatorReady } from './simulator-process.ts';

/** The served company: three fiscal years (2024–2026) of 100 000 lines each, seed fixed. */
export const FENNOA_COMPANY = { seed: 2026, country: 'FI', linesPerYear: 100_000, years: 3, currentYear: 2026 } as const;
/** The sync's "today": every generated year has started, none is skipped. */
export const FENNOA_TODAY = '2026-12-31';
/** Fennoa's limit, as the simulator applies it by default: 100 requests in any sliding second per IP address. */
export const FENNOA_PER_SECOND = 100;
/** The same simulator with the limit out of reach: the processing floor. */
export const FENNOA_NO_LIMIT = 1_000_000;

export type FennoaSimulatorName = 'limited' | 'unlimited';

export interface FennoaEndpoint {
  /** `http://127.0.0.1:<port>/api` */
  baseUrl: string;
  apiUser: string;
  apiKey: string;
  companyName: string;
  perSecond: number;
}

export type FennoaSimulatorReady = SimulatorReady<FennoaSimulatorName, FennoaEndpoint>;

export interface FennoaSimulatorStats extends FennoaStats {
  cpuMs: number;
}

export type FennoaSimulatorProcess = SimulatorProcess<FennoaSimulatorName, FennoaSimulatorReady, FennoaSimulatorStats>;
export const startFennoaSimulator = (): Promise<FennoaSimulatorProcess> =>
  SimulatorProcess.start<FennoaSimulatorName, FennoaSimulatorReady, FennoaSimulatorStats>('fennoa-simulator.ts');
