// The public face of pipeline/: the only place that wires the stages together. Commands and
// the scheduler call these and print.
export * from './config.ts';
export * from './config-error.ts';
export * from './config-issues.ts';
export * from './connectors.ts';
export * from './consent.ts';
export * from './sync-engine.ts';
export * from './transform-worker-protocol.ts';
export * from './worker-bundle.ts';
export * from './import-files.ts';
export * from './debug-log.ts';
export * from './usage-error.ts';
export * from './after-run.ts';
export * from './slice-load.ts';
export * from './printed-issues.ts';
export type { Progress, ProgressTask } from './progress.ts';
