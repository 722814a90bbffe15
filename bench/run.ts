// `npm run bench`: generates (or reuses) the inputs, runs each benchmark against its floor in
// the same run, prints a table and writes bench/out/results.json.
//   npm run bench -- [--only saft-import,sie-import,load-path,tripletex-sync,fiken-sync] [--reps 3] [--profile]
// --profile runs each subject once more under --cpu-prof (bench/out/profiles) and prints
// where its time goes.

import { basename, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { benchmarks, type BenchmarkResult } from './benchmarks.ts';
import { loadAverage, machine } from './measure.ts';
import { resultsPath } from './paths.ts';
import { printProfile, summariseProfile } from './profile-summary.ts';
import { printTable, writeResults } from './report.ts';

const { values } = parseArgs({
  options: { only: { type: 'string' }, reps: { type: 'string', default: '3' }, profile: { type: 'boolean', default: false } },
});
const reps = Number(values.reps);
if (!Number.isInteger(reps) || reps < 1) throw new Error(`--reps must be a positive integer, got ${values.reps}`);
const only = values.only?.split(',').map((s) => s.trim());
const selected = benchmarks.filter((b) => !only || only.includes(b.id));
if (selected.length === 0) throw new Error(`--only matched none of ${benchmarks.map((b) => b.id).join(', ')}`);

const startedAt = new Date().toISOString();
const startLoad = loadAverage();
const env = machine();
console.log(`ledgerhouse bench — ${startedAt}, node ${env.node}, ${env.cpus} × ${env.cpuModel}`);
console.log(`load average at start: ${startLoad.join(' ')} (1, 5, 15 min); median of ${reps} alternating run(s) per side`);

const results: BenchmarkResult[] = [];
const profiles: { title: string; path: string }[] = [];
for (const benchmark of selected) {
  console.log(`\n${benchmark.title}`);
  const input = await benchmark.input();
  const where = input.description ?? `${relative(process.cwd(), input.path)}: ${(input.bytes / 1e6).toFixed(1)} MB`;
  console.log(
    `  input ${where}, ${input.lines.toLocaleString('en')} lines` +
      (input.generated ? `, generated in ${(input.generateMs / 1000).toFixed(1)} s` : ', reused'),
  );
  const { result, profiles: written } = await benchmark.run(input, { reps, profile: values.profile, log: (l) => console.log(l) });
  results.push(result);
  for (const path of written) profiles.push({ title: `${benchmark.title} (${basename(path).includes('.worker') ? 'worker thread' : 'main thread'})`, path });
}

const endLoad = loadAverage();
printTable(results);
console.log(`\nload average: ${startLoad.join(' ')} at start, ${endLoad.join(' ')} at end`);
for (const p of profiles) printProfile(`${p.title}: ${relative(process.cwd(), p.path)}`, summariseProfile(p.path));
writeResults({ startedAt, finishedAt: new Date().toISOString(), machine: env, loadAverage: { start: startLoad, end: endLoad }, reps, benchmarks: results });
console.log(`\nresults: ${relative(process.cwd(), resultsPath)}`);
