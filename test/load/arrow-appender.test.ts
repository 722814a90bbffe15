import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import duckdb from '@duckdb/node-bindings';
import { rawAppender } from '../../load/arrow-appender.ts';
import { Warehouse, WarehouseError } from '../../load/index.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const require = createRequire(import.meta.url);
const manifest = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as { version: string; dependencies?: Record<string, string> };
const ours = manifest(join(import.meta.dirname, '../../package.json'));
const api = manifest(require.resolve('@duckdb/node-api/package.json'));
const bindings = manifest(require.resolve('@duckdb/node-bindings/package.json'));

const UPGRADE = 'the pins moved apart; upgrade @duckdb/node-api and @duckdb/node-bindings together, to the same exact version (the one node-api itself depends on), and run this test again';

describe("the appender's use of @duckdb/node-bindings", () => {
  it('declares @duckdb/node-bindings with the exact pin of @duckdb/node-api, the one node-api depends on', () => {
    const pins = { api: ours.dependencies?.['@duckdb/node-api'], bindings: ours.dependencies?.['@duckdb/node-bindings'] };
    expect(pins.bindings, `package.json declares no @duckdb/node-bindings, which load/arrow-appender.ts imports: add it with the pin of @duckdb/node-api (${pins.api}).`).toBeDefined();
    expect(pins.api, `package.json pins @duckdb/node-api to "${pins.api}", not an exact version: pin it exactly, as @duckdb/node-bindings is.`).toMatch(/^\d+\.\d+\.\d+(-[\w.]+)?$/);
    expect(pins.bindings, `package.json pins @duckdb/node-bindings to ${pins.bindings} and @duckdb/node-api to ${pins.api}: ${UPGRADE}`).toBe(pins.api);
    expect(api.dependencies?.['@duckdb/node-bindings'], `@duckdb/node-api ${api.version} depends on @duckdb/node-bindings ${api.dependencies?.['@duckdb/node-bindings']}, package.json on ${pins.bindings}: ${UPGRADE}`).toBe(pins.bindings);
  });

  it('has the versions package.json pins installed, one copy of the bindings for both', () => {
    expect(api.version, `@duckdb/node-api ${api.version} is installed but package.json pins ${ours.dependencies?.['@duckdb/node-api']}: run npm ci.`).toBe(ours.dependencies?.['@duckdb/node-api']);
    expect(bindings.version, `@duckdb/node-bindings ${bindings.version} is installed but package.json pins ${ours.dependencies?.['@duckdb/node-bindings']}: run npm ci, or ${UPGRADE}`).toBe(ours.dependencies?.['@duckdb/node-bindings']);
    // The handle node-api made must be one our import of the bindings understands: the same module.
    const apiRequire = createRequire(require.resolve('@duckdb/node-api'));
    expect(apiRequire.resolve('@duckdb/node-bindings'), `@duckdb/node-api loads its own copy of @duckdb/node-bindings: ${UPGRADE}`).toBe(require.resolve('@duckdb/node-bindings'));
  });

  it("reads node-api's private raw appender handle, and the bindings take it", async () => {
    const warehouse = await Warehouse.open(join(tempDir(), 'w.duckdb'));
    try {
      const appender = await warehouse.connection.createAppender('account');
      try {
        const raw = (() => {
          try {
            return rawAppender(appender);
          } catch (error) {
            throw new Error(`${(error as Error).message} (${UPGRADE})`, { cause: error });
          }
        })();
        expect(duckdb.appender_column_count(raw), `the raw appender handle no longer describes the table: ${UPGRADE}`).toBe(appender.columnCount);
      } finally {
        appender.closeSync();
      }
    } finally {
      warehouse.close();
    }
  });

  it('says what to do when the handle is gone', () => {
    const moved = { columnCount: 0 } as unknown as Parameters<typeof rawAppender>[0];
    expect(() => rawAppender(moved)).toThrow(WarehouseError);
    expect(() => rawAppender(moved)).toThrow(/install @duckdb\/node-api and @duckdb\/node-bindings at the same exact version package\.json pins/);
  });
});
