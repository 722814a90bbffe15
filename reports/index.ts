// The public face of reports/ for the ETL: statutory file writers. (The Evidence project
// lives beside these files with its own package.json.)
export { writeSaftFile } from './saft-writer.ts';
export { writeSieFile } from './sie-writer.ts';
