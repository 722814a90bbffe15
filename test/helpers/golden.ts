import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { expect } from 'vitest';
import { writeFileAtomicallySync } from '../../model/index.ts';

const goldenDir = resolve(import.meta.dirname, '../golden');

/**
 * Compares `actual` (any JSON-able value; bigints become strings) with the checked-in golden
 * file `test/golden/<name>.json`. A missing golden fails: writing it would make the test pass
 * by itself. `UPDATE_GOLDEN=1` writes or rewrites goldens on purpose, for review and commit;
 * CI refuses even that.
 */
export function expectGolden(name: string, actual: unknown): void {
  const path = resolve(goldenDir, `${name}.json`);
  const json = JSON.stringify(actual, (_key, value) => (typeof value === 'bigint' ? value.toString() : value), 2) + '\n';
  if (process.env.UPDATE_GOLDEN === '1') {
    if (process.env.CI) throw new Error(`UPDATE_GOLDEN=1 in CI would make ${path} pass by itself; update goldens locally and commit them.`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileAtomicallySync(path, json);
    return;
  }
  if (!existsSync(path)) throw new Error(`Golden file ${path} is missing; run this test with UPDATE_GOLDEN=1, review the file it writes, and commit it.`);
  expect(JSON.parse(json)).toEqual(JSON.parse(readFileSync(path, 'utf8')));
}
