// The public face of reports/: the statutory file writers, SAF-T Financial 1.30 and SIE 4E.
export { writeSaftFile } from './saft-writer.ts';
export { writeSieFile } from './sie-writer.ts';
