import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { providers } from '../../extract/index.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const bin = join(import.meta.dirname, '../../bin/ledgerhouse.js');

/** Resolves with everything printed so far once `pattern` shows up on stdout. */
function waitFor(child: ChildProcessWithoutNullStreams, pattern: RegExp): Promise<RegExpExecArray> {
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = pattern.exec(out);
      if (m) resolve(m);
    });
    child.on('exit', () => reject(new Error(`exited before printing ${pattern}: ${out}`)));
  });
}

function run(cwd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd, env }, (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, out: stdout + stderr }));
  });
}

describe('ledgerhouse sandbox', () => {
  it('serves every provider on loopback, and the printed steps connect and sync each; Ctrl-C stops it', async () => {
    const dir = tempDir();
    const env = { ...process.env, LEDGERHOUSE_SECRET_KEY: randomBytes(32).toString('base64') };
    const sandbox = spawn(process.execPath, [bin, 'sandbox', '--lines-per-year', '500'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => sandbox.on('exit', (code) => resolve(code)));
    try {
      const printed = (await waitFor(sandbox, /Ctrl-C stops the sandbox\./)).input;
      const url = /Tripletex sandbox: (http:\/\/127\.0\.0\.1:\d+\/v2)/.exec(printed)![1]!;
      // Alive and answering like Tripletex: no session, no entry.
      const response = await fetch(`${url}/ledger/account`);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ status: 401, code: 3000 });

      // Every "npx ledgerhouse …" line, run as printed (environment assignments included).
      const steps = [...printed.matchAll(/^ {2}((?:\w+=\S+ )*)npx ledgerhouse (.+)$/gm)].map(([, assignments, args]) => ({
        env: Object.fromEntries(assignments!.trim().split(/\s+/).filter(Boolean).map((a) => a.split('='))),
        // Shell words: a quoted value ('Koivula Tekniikka Oy') is one argument.
        args: [...args!.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!),
      }));
      expect(steps.map((s) => s.args.slice(0, 2).join(' '))).toEqual(providers.flatMap((p) => ['org add', `connect sandbox-${p.id}`, `sync sandbox-${p.id}`]));
      for (const step of steps) {
        if (step.args[0] === 'connect' && providers.find((p) => `sandbox-${p.id}` === step.args[1])?.auth.kind === 'oauth2') {
          // The person opens the printed consent address; the sandbox approves and redirects to the listener.
          const connect = spawn(process.execPath, [bin, ...step.args], { cwd: dir, env: { ...env, ...step.env } });
          const consentUrl = (await waitFor(connect, /^ {2}(http:\/\/\S+\?\S*client_id=\S+)$/m))[1]!;
          await (await fetch(consentUrl)).text();
          const done = await new Promise<number | null>((resolve) => connect.on('exit', resolve));
          expect(done).toBe(0);
          continue;
        }
        const result = await run(dir, step.args, { ...env, ...step.env });
        expect(result.code, result.out).toBe(0);
        if (step.args[0] === 'sync') expect(result.out).toMatch(/Run \S+: succeeded\./);
      }
      const companies = await run(dir, ['companies', 'sandbox-fiken'], env);
      expect(companies.out).toMatch(/^\* \S+ {2}.+ \(\d{9}\)$/m);
      const forgotten = await run(dir, ['connect', 'sandbox-fiken', '--forget'], env);
      expect(forgotten.out).toContain('Deleted the stored credentials of "sandbox-fiken".');
      const status = await run(dir, ['status'], env);
      expect(status.out).toMatch(/sandbox-fiken[\s\S]*not connected/);
    } finally {
      sandbox.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  }, 120_000);
});
