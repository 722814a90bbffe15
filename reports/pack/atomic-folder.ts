// A pack appears whole or not at all: it is written into a temp folder beside the target
// (same file system, so a rename moves it) and swapped in at the end. A crash leaves the
// previous pack, or a temp folder beside it, never half of one.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ReportPackError } from './report-pack-error.ts';

/** What a pack folder may hold; anything else means the folder is not a pack and is left alone. */
const packEntries = new Set(['index.html', 'csv', 'report.pdf']);

export interface AtomicFolder {
  /** Write everything here. */
  temp: string;
  /** Swaps the temp folder in for the target; the old pack is deleted after. */
  commit(): void;
  /** Removes the temp folder (after a failure). */
  discard(): void;
}

/**
 * Refuses a target that is a file or a folder holding more than a pack, so `--out ~` can
 * never delete a home folder.
 */
export function checkPackTarget(target: string): void {
  const out = resolve(target);
  if (existsSync(out)) {
    if (!statSync(out).isDirectory()) throw new ReportPackError(`--out ${out} is a file; give a folder for the pack.`);
    const foreign = readdirSync(out).filter((e) => !packEntries.has(e));
    if (foreign.length > 0) {
      throw new ReportPackError(`--out ${out} holds other files (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}) and is not a report pack; give a new or empty folder.`);
    }
  }
}

export function openAtomicFolder(target: string): AtomicFolder {
  const out = resolve(target);
  checkPackTarget(out);
  mkdirSync(dirname(out), { recursive: true });
  const temp = mkdtempSync(join(dirname(out), `.${basename(out)}.tmp-`));
  // mkdtemp makes it private (0700); a pack is meant to be opened and shared like any folder.
  chmodSync(temp, 0o755);
  return {
    temp,
    commit() {
      const old = `${temp}-old`;
      const hadOld = existsSync(out);
      // rename() cannot replace a non-empty folder: move the old pack aside, the new one in,
      // then delete the old. Between the two renames the target is briefly absent, never half written.
      if (hadOld) renameSync(out, old);
      try {
        renameSync(temp, out);
      } catch (error) {
        if (hadOld) renameSync(old, out);
        throw error;
      }
      if (hadOld) rmSync(old, { recursive: true, force: true });
    },
    discard() {
      rmSync(temp, { recursive: true, force: true });
    },
  };
}
