// The public face of extract/: readers that turn source files into ledger events.
export { readSaft } from './saft/index.ts';
export { readSie } from './sie/index.ts';
export { detectFileFormat, splitSetPart, type FileFormat } from './file-format.ts';
export { FileFormatError, describeLocation } from './file-format-error.ts';
