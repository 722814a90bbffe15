import type { FileFormat, FileFormatError } from '../extract/index.ts';
import type { FileTransformContext, FileTransformResult, UnifiedTable } from '../transform/index.ts';

// What the import thread and its transform worker say to each other. Kept apart from both so
// the worker's bundle pulls in nothing of the import thread's.

export type WorkerMessage =
  | { type: 'batch'; table: UnifiedTable; ipc: Uint8Array }
  | { type: 'done'; result: FileTransformResult }
  | { type: 'error'; name: string; message: string; location?: FileFormatError['location']; stack?: string };

export interface WorkerInput {
  files: string[];
  format: FileFormat;
  context: FileTransformContext;
}

/** Batches a worker may send ahead of the loader: enough to keep both threads busy. */
export const BATCHES_IN_FLIGHT = 4;
