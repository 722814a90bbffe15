import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = join(import.meta.dirname, '../../bin/ledgerhouse.js');

describe('ledgerhouse sandbox', () => {
  it('serves Tripletex on loopback, prints how to connect, and stops on Ctrl-C', async () => {
    const child = spawn(process.execPath, [bin, 'sandbox', '--lines-per-year', '500'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /Tripletex sandbox: (http:\/\/127\.0\.0\.1:\d+\/v2)/.exec(out);
          if (m && out.includes('Ctrl-C')) resolve(m[1]!);
        });
        child.on('exit', () => reject(new Error(`sandbox exited early: ${out}`)));
      });
      expect(out).toContain(`npx ledgerhouse org add sandbox-tripletex --provider tripletex --base-url ${url}`);
      expect(out).toMatch(/TRIPLETEX_CONSUMER_TOKEN=\S+ TRIPLETEX_EMPLOYEE_TOKEN=\S+ npx ledgerhouse connect sandbox-tripletex/);
      // Alive and answering like Tripletex: no session, no entry.
      const response = await fetch(`${url}/ledger/account`);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ status: 401, code: 3000 });
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  });
});
