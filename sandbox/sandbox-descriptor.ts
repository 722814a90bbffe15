import type { Clock } from '../model/index.ts';
import type { GeneratedCompany } from './generated-company.ts';

/** A provider's simulator as `ledgerhouse sandbox` and the demo use it. */
export interface SandboxDescriptor {
  /** The generated company it serves: its seed in `sandbox` and in the demo, and its size in the demo. */
  sandboxSeed: number;
  demoSeed: number;
  demoLinesPerYear: number;
  start(options: { companies: GeneratedCompany[]; port?: number; clock?: Clock }): Promise<RunningSandbox>;
}

export interface RunningSandbox {
  /** The provider's settings (under its key in the configuration) that point at the simulator. */
  settings: Record<string, unknown>;
  /** The secrets `connect` reads, by their key in the credential store (an OAuth2 app's, not tokens). */
  secrets: Record<string, string>;
  /** The simulator in a few words: "Tripletex sandbox at http://127.0.0.1:…/v2". */
  served: string;
  /** What `ledgerhouse sandbox` prints about it, line by line. */
  banner: string[];
  /**
   * How a person gives consent here, for simulators of OAuth2 providers: the authorization
   * URL is opened, and the simulator approves at once and redirects.
   */
  consent?: { note: string; approve(authorizationUrl: string): Promise<void> };
  close(): Promise<void>;
}
