import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { expect } from 'vitest';
import { writeFileAtomicallySync } from '../../model/index.ts';

const goldenDir = resolve(import.meta.dirname, '../golden');

/**
 * Compares `actual` (any JSON-able value; bigints become strings) with the checked-in golden
 * file `test/golden/<name>.json`. A missing golden is written locally so it can be reviewed
 * and committed, and refused in CI, where writing one would make the test pass by itself.
 * `UPDATE_GOLDEN=1` rewrites goldens on purpose.
 */
export function expectGolden(name: string, actual: unknown): void {
  const path = resolve(goldenDir, `${name}.json`);
  const json = JSON.stringify(actual, (_key, value) => (typeof value === 'bigint' ? value.toString() : value), 2) + '\n';
  if (!existsSync(path) || process.env.UPDATE_GOLDEN === '1') {
    if (process.env.CI) throw new Error(`Golden file ${path} is missing; run the tests locally and commit it.`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileAtomicallySync(path, json);
    return;
  }
  expect(JSON.parse(json)).toEqual(JSON.parse(readFileSync(path, 'utf8')));
}
