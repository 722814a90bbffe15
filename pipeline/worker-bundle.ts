import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { writeFileAtomically } from '../model/index.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const cacheDir = join(root, 'node_modules', '.cache', 'ledgerhouse');
/** Part of every manifest: a change to how bundles are built invalidates the old ones. */
const BUILD = 'esm-node20-external-packages-1';

interface Manifest {
  build: string;
  /** Every bundled source file, by absolute path, with the sha1 of its content. */
  inputs: Record<string, string>;
}

/**
 * A worker entry bundled into one plain ES module, its packages left as imports. A worker
 * started from it loads in ~0.3 s; one that registers tsx first loads our modules and
 * apache-arrow's through tsx's loader hooks, ~1–1.5 s on the critical path of every large
 * import. Kept under node_modules/.cache and rebuilt whenever a bundled source changes;
 * null when no bundle can be had (the caller then starts the worker through tsx).
 */
export async function workerBundle(entry: string): Promise<string | null> {
  const name = basename(entry).replace(/\.ts$/, '');
  const bundle = join(cacheDir, `${name}.mjs`);
  const manifestPath = join(cacheDir, `${name}.inputs.json`);
  try {
    if (await isFresh(manifestPath)) return bundle;
    await build(entry, bundle, manifestPath);
    return bundle;
  } catch {
    return null;
  }
}

/**
 * A worker thread running the TypeScript module `entry`: from its bundle, or, when no bundle
 * can be had, by registering the TypeScript loader first and then loading the entry.
 */
export async function startWorker(entry: URL, options: WorkerOptions): Promise<Worker> {
  const bundle = await workerBundle(fileURLToPath(entry));
  if (bundle) {
    // A bundle is plain JavaScript: the worker must not inherit a `--import tsx` of this process.
    return new Worker(bundle, { ...options, execArgv: [] });
  }
  const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(bootstrap, { ...options, eval: true });
}

async function isFresh(manifestPath: string): Promise<boolean> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Manifest;
  } catch {
    return false;
  }
  if (manifest.build !== BUILD) return false;
  for (const [path, hash] of Object.entries(manifest.inputs)) {
    const text = await readFile(path).catch(() => null);
    if (text === null || sha1(text) !== hash) return false;
  }
  return true;
}

async function build(entry: string, bundle: string, manifestPath: string): Promise<void> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [entry],
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const inputs: Record<string, string> = {};
  for (const input of Object.keys(result.metafile.inputs)) {
    const path = resolve(root, input);
    inputs[path] = sha1(await readFile(path));
  }
  await mkdir(cacheDir, { recursive: true });
  // The bundle lands before its manifest, each by rename, so a manifest always vouches for a whole bundle.
  await writeFileAtomically(bundle, result.outputFiles[0]!.contents);
  await writeFileAtomically(manifestPath, JSON.stringify({ build: BUILD, inputs } satisfies Manifest));
}

function sha1(content: Uint8Array): string {
  return createHash('sha1').update(content).digest('hex');
}
