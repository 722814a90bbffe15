// The public face of formats/: the statutory file codecs, reader and writer side by side, and
// the file handling they share (format detection, split sets, chunked reads).
export { readSaft, SAFT_NS, AnalysisTypeCoder, normaliseDecimal, parseIsoDate, writeSaftFile } from './saft/index.ts';
export { readSie, SieChecksum, RESERVED_DIMENSION_NAMES, toSieDate, encodeSieText, singleByteTable, writeSie, writeSieFile, type SieWriteOptions } from './sie/index.ts';
export { detectFileFormat, splitSetPart, type FileFormat } from './file-format.ts';
export { readFileChunks } from './file-chunks.ts';
export { type FileInput } from './file-input.ts';
export { FileFormatError } from './file-format-error.ts';
