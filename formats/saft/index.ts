// SAF-T Financial (Norway) reader: the public entry point.

import type { LedgerEvent } from '../../model/index.ts';
import type { FileInput } from '../file-input.ts';
import { resolveSaftParts } from './saft-input.ts';
import { readSaftParts, SAFT_READ_LIMITS, type SaftReadLimits } from './saft-reader.ts';

/**
 * Reads one SAF-T Financial file (.xml, .xml.gz or .zip), or all parts of a split set given
 * together (as several paths or one zip), as ONE logical file: header, master data, vouchers,
 * control totals, with `issue` events where problems are found. Besides paths it takes the
 * XML as bytes or a stream with a name (`{ name, bytes }`, `{ name, stream }`), so a connector
 * can read an export it downloaded without a temp file. Unreadable input throws
 * FileFormatError, and so does input past `limits` (a zip bomb, one comment of gigabytes). Events come in batches, one per stretch of the file read: an async step
 * per event cost more than many an event's mapping.
 */
export async function* readSaft(inputs: FileInput | readonly FileInput[], limits: SaftReadLimits = SAFT_READ_LIMITS): AsyncGenerator<LedgerEvent[]> {
  const parts = await resolveSaftParts(Array.isArray(inputs) ? inputs : [inputs as FileInput]);
  yield* readSaftParts(parts, limits);
}

export { SAFT_READ_LIMITS, type SaftReadLimits } from './saft-reader.ts';

export { SAFT_NS } from './saft-records.ts';
// Shared with the SAF-T writer, so what it writes is what the reader reads.
export { AnalysisTypeCoder } from './saft-dimensions.ts';
export { normaliseDecimal, parseIsoDate } from './saft-values.ts';
export { writeSaftFile } from './saft-writer.ts';
