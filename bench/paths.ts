// Where the benchmarks keep their generated inputs, scratch warehouses, profiles and results.

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const benchDir = dirname(fileURLToPath(import.meta.url));
/** Gitignored. */
export const benchOut = join(benchDir, 'out');
export const resultsPath = join(benchOut, 'results.json');
export const profileDir = join(benchOut, 'profiles');

/** A benchmark script, by file name, for `node --import tsx <script>`. */
export function benchScript(name: string): string {
  return join(benchDir, name);
}
