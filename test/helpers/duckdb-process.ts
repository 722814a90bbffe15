// Another process on a DuckDB file, for tests of what DuckDB's per-process file lock lets
// other processes do. Plain JavaScript on @duckdb/node-api, no tsx: quick to start.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

const projectRoot = join(import.meta.dirname, '..', '..');

/** Whether a fresh process can attach `path` read-only right now (false while a writer holds it). */
export function otherProcessCanRead(path: string): { ok: boolean; message: string } {
  const script = `
    import { DuckDBInstance } from '@duckdb/node-api';
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      await connection.run(${JSON.stringify(`ATTACH '${path.replaceAll("'", "''")}' AS other (READ_ONLY)`)});
      console.log('ok');
    } catch (error) {
      console.log(String(error.message).split('\\n')[0]);
    }`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: projectRoot, encoding: 'utf8', timeout: 20_000 });
  const message = run.stdout.trim() || run.stderr.trim();
  return { ok: message === 'ok', message };
}

/** Opens `path` read-write in another process and keeps it open until `release()`. */
export async function holdOpenInOtherProcess(path: string): Promise<{ release: () => Promise<void> }> {
  const script = `
    import { DuckDBInstance } from '@duckdb/node-api';
    const instance = await DuckDBInstance.create(${JSON.stringify(path)});
    await instance.connect();
    console.log('ready');
    process.stdin.resume();
    process.stdin.on('end', () => process.exit(0));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: projectRoot, stdio: ['pipe', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`the holding process exited (${code}): ${err}`)));
  });
  return {
    release: () =>
      new Promise<void>((resolve) => {
        child.removeAllListeners('exit');
        child.on('exit', () => resolve());
        child.stdin.end();
      }),
  };
}
