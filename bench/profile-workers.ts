// Imported first by the import children: when bench/run.ts profiles a child (--profile), it
// sets BENCH_WORKER_PROFILE, and every worker thread the import starts is given --cpu-prof
// as well, so the work an import moves off the main thread is profiled too. Otherwise inert.

import { createRequire, syncBuiltinESMExports } from 'node:module';
import type { WorkerOptions } from 'node:worker_threads';

const target = process.env['BENCH_WORKER_PROFILE'];
if (target) {
  const threads = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
  const Original = threads.Worker;
  let n = 0;
  threads.Worker = class ProfiledWorker extends Original {
    constructor(filename: string | URL, options: WorkerOptions = {}) {
      const { dir, name } = JSON.parse(target!) as { dir: string; name: string };
      const execArgv = [...(options.execArgv ?? process.execArgv), '--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}.worker${++n}.cpuprofile`];
      super(filename, { ...options, execArgv });
    }
  };
  syncBuiltinESMExports();
}
