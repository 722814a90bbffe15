// Public API of the SIE reader.
export { readSie } from './sie-reader.ts';
export { tokenizeSieLine, checksumText, type SieField, type SieRecord } from './sie-tokenizer.ts';
export { crc32, SieChecksum, parseChecksumField } from './sie-checksum.ts';
export { sieDimensionType, RESERVED_DIMENSION_NAMES } from './sie-dimensions.ts';
export type { SieEncoding } from './sie-decoding.ts';
// Shared with the SIE writer, so what it writes is what the reader reads.
export { toSieDate } from './sie-dates.ts';
export { encodeSieText, singleByteTable } from './sie-decoding.ts';
export { writeSie, writeSieFile, type SieWriteOptions } from './sie-writer.ts';
