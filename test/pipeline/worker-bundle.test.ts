import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { startWorker, workerBundle } from '../../pipeline/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'ledgerhouse-worker-bundle-'));
const name = `bundle-test-${process.pid}`;
const entry = join(dir, `${name}.ts`);
const part = join(dir, 'part.ts');
writeFileSync(entry, `import { parentPort } from 'node:worker_threads';\nimport { answer } from './part.ts';\nparentPort!.postMessage(answer satisfies string);\n`);

function runBundle(path: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path, { execArgv: [] });
    worker.once('message', (m) => void worker.terminate().then(() => resolve(m)));
    worker.once('error', reject);
  });
}

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  for (const bundled of [name, `${name}-echo`]) {
    for (const suffix of ['.mjs', '.inputs.json']) rmSync(join('node_modules/.cache/ledgerhouse', bundled + suffix), { force: true });
  }
});

describe('workerBundle', () => {
  it('runs TypeScript in a plain worker, reuses the bundle, and rebuilds it when a source changes', async () => {
    writeFileSync(part, `export const answer: string = 'first';\n`);
    const bundle = (await workerBundle(entry))!;
    expect(bundle).toMatch(new RegExp(`${name}\\.mjs$`));
    expect(await runBundle(bundle)).toBe('first');

    const builtAt = statSync(bundle).mtimeMs;
    expect(await workerBundle(entry)).toBe(bundle);
    expect(statSync(bundle).mtimeMs).toBe(builtAt);

    writeFileSync(part, `export const answer: string = 'second';\n`);
    expect(await workerBundle(entry)).toBe(bundle);
    expect(await runBundle(bundle)).toBe('second');
  });

  it('starts a worker on the entry, with its workerData', async () => {
    const echo = join(dir, `${name}-echo.ts`);
    writeFileSync(echo, `import { parentPort, workerData } from 'node:worker_threads';\nparentPort!.postMessage(\`\${workerData as string} back\`);\n`);
    const worker = await startWorker(pathToFileURL(echo), { workerData: 'there and' });
    const message = await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    expect(message).toBe('there and back');
  });

  it('gives null for an entry that cannot be bundled, so the caller falls back to tsx', async () => {
    expect(await workerBundle(join(dir, 'missing.ts'))).toBeNull();
  });
});
