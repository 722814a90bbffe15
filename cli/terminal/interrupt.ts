/**
 * SIGTERM and SIGINT during a run: the first aborts the signal, so the slice in flight rolls
 * back (or finishes committing, if it already is) and the run is recorded `interrupted`; a
 * second one ends the process at once (the warehouse still holds only whole slices).
 */
export interface Interrupt {
  signal: AbortSignal;
  /** The exit code the signal calls for (130 for SIGINT, 143 for SIGTERM), once one came. */
  exitCode(): number | null;
  /** Puts the default handlers back. */
  release(): void;
}

const CODES = { SIGINT: 130, SIGTERM: 143 } as const;

export function onInterrupt(): Interrupt {
  const controller = new AbortController();
  let received: keyof typeof CODES | null = null;
  const handler = (name: keyof typeof CODES) => {
    if (received) process.exit(CODES[name]);
    received = name;
    process.stderr.write(`${name}: stopping after rolling back what is in flight; send it again to stop at once.\n`);
    controller.abort();
  };
  const handlers = Object.keys(CODES).map((name) => [name, () => handler(name as keyof typeof CODES)] as const);
  for (const [name, h] of handlers) process.on(name, h);
  return {
    signal: controller.signal,
    exitCode: () => (received ? CODES[received] : null),
    release: () => {
      for (const [name, h] of handlers) process.off(name, h);
    },
  };
}
