import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { replaceFileAtomically, writeFileAtomically, writeFileAtomicallySync, writeStreamAtomically } from '../../model/index.ts';

const freshDir = () => mkdtempSync(join(tmpdir(), 'atomic-file-'));

describe('atomic files', () => {
  it('writes a file whole and leaves nothing else in the folder', async () => {
    const dir = freshDir();
    const path = join(dir, 'config.json');
    await writeFileAtomically(path, '{"a":1}\n');
    await writeFileAtomically(path, new TextEncoder().encode('{"a":2}\n'));
    expect(readFileSync(path, 'utf8')).toBe('{"a":2}\n');
    expect(readdirSync(dir)).toEqual(['config.json']);
  });

  it('gives the file exactly the mode asked for, whatever the umask', async () => {
    const dir = freshDir();
    const before = process.umask(0o000);
    try {
      await writeFileAtomically(join(dir, 'secret'), 'x', { mode: 0o600 });
      writeFileAtomicallySync(join(dir, 'secret-sync'), 'x', { mode: 0o600 });
    } finally {
      process.umask(before);
    }
    expect(statSync(join(dir, 'secret')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'secret-sync')).mode & 0o777).toBe(0o600);
  });

  it('keeps the old file and removes the temp file when writing fails midway', async () => {
    const dir = freshDir();
    const path = join(dir, 'ledger.xml');
    writeFileSync(path, 'old');
    async function* failing() {
      yield 'new, first half';
      throw new Error('database went away');
    }
    await expect(writeStreamAtomically(path, failing())).rejects.toThrow('database went away');
    await expect(
      replaceFileAtomically(path, async (temp) => {
        const handle = await open(temp, 'w');
        await handle.write('half');
        await handle.close();
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['ledger.xml']);
  });

  it('removes the temp file when the rename itself fails', async () => {
    const dir = freshDir();
    const path = join(dir, 'taken');
    mkdirSync(join(path, 'inside'), { recursive: true });
    await expect(writeFileAtomically(path, 'x')).rejects.toThrow();
    expect(() => writeFileAtomicallySync(path, 'x')).toThrow();
    expect(readdirSync(dir)).toEqual(['taken']);
  });

  it('streams chunks from a generator or a readable', async () => {
    const dir = freshDir();
    const path = join(dir, 'lines.csv');
    function* rows() {
      for (let i = 0; i < 1000; i++) yield `${i},row ${i}\n`;
    }
    await writeStreamAtomically(path, rows());
    expect(readFileSync(path, 'utf8').split('\n')).toHaveLength(1001);
    await writeStreamAtomically(path, Readable.from(['a\n', 'b\n']));
    expect(readFileSync(path, 'utf8')).toBe('a\nb\n');
    expect(readdirSync(dir)).toEqual(['lines.csv']);
  });

  it('lets concurrent writers race without mixing their contents', async () => {
    const dir = freshDir();
    const path = join(dir, 'state.json');
    const contents = Array.from({ length: 8 }, (_, i) => String(i).repeat(100_000));
    await Promise.all(contents.map((c) => writeFileAtomically(path, c)));
    expect(contents).toContain(readFileSync(path, 'utf8'));
    expect(readdirSync(dir)).toEqual(['state.json']);
  });
});
