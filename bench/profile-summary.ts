// Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time per function and per
// file, heaviest first, with paths relative to the repository. Also runnable by hand:
//   node --import tsx bench/profile-summary.ts bench/out/profiles/<name>.cpuprofile [top]

import { readFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchDir } from './paths.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  ms: number;
  share: number;
}

const repo = dirname(benchDir);

function fileOf(url: string): string {
  if (!url) return '(native)';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const rel = relative(repo, path);
  return rel.startsWith('..') ? path : rel;
}

export function summariseProfile(path: string, top = 15): { totalMs: number; functions: SelfTime[]; files: SelfTime[] } {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const fn = new Map<string, number>();
  const file = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const frame = byId.get(id)!.callFrame;
    const where = fileOf(frame.url);
    // Line numbers of tsx-compiled .ts files do not match the source; name those by function only.
    const line = frame.url && !where.endsWith('.ts') ? `:${frame.lineNumber + 1}` : '';
    const name = `${where}:${frame.functionName || '(anonymous)'}${line}`;
    fn.set(name, (fn.get(name) ?? 0) + us);
    file.set(where, (file.get(where) ?? 0) + us);
    total += us;
  });
  const rank = (m: Map<string, number>): SelfTime[] =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: Math.round(us / 1000), share: +(us / total).toFixed(3) }));
  return { totalMs: Math.round(total / 1000), functions: rank(fn), files: rank(file) };
}

export function printProfile(title: string, summary: ReturnType<typeof summariseProfile>): void {
  const row = (s: SelfTime) => `  ${(s.share * 100).toFixed(1).padStart(5)}%  ${String(s.ms).padStart(7)} ms  ${s.name}`;
  console.log(`\n${title} — ${summary.totalMs} ms sampled, self time by file:`);
  for (const s of summary.files) console.log(row(s));
  console.log('  by function:');
  for (const s of summary.functions) console.log(row(s));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const path = process.argv[2];
  if (!path) {
    console.error('usage: profile-summary.ts <file.cpuprofile> [top]');
    process.exit(2);
  }
  printProfile(path, summariseProfile(path, Number(process.argv[3] ?? 25)));
}
