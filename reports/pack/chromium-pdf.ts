// The PDF is Chromium printing the pack's own HTML (its print stylesheet decides the pages),
// driven through Chromium's command line so the pack needs no browser library at run time.
import { execFile } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ReportPackError } from './report-pack-error.ts';

export const defaultChromiumPath = '/usr/bin/chromium';

/**
 * Where Chromium is: the caller's path, else $CHROMIUM_PATH, else Debian's /usr/bin/chromium;
 * null when that file is not there (or the caller passed null: no PDF wanted).
 */
export function findChromium(explicit?: string | null): { path: string | null; looked: string } {
  if (explicit === null) return { path: null, looked: 'no Chromium asked for' };
  const candidate = explicit ?? (process.env.CHROMIUM_PATH || defaultChromiumPath);
  try {
    accessSync(candidate, constants.X_OK);
    return { path: candidate, looked: candidate };
  } catch {
    return { path: null, looked: candidate };
  }
}

/** Prints `htmlPath` to `pdfPath` with headless Chromium; throws ReportPackError when it cannot. */
export async function printPdf(chromium: string, htmlPath: string, pdfPath: string, timeoutMs = 90_000): Promise<void> {
  // A profile of its own: two packs printed at once must not share (and lock) one.
  const profile = mkdtempSync(join(tmpdir(), 'ledgerhouse-chromium-'));
  const args = [
    '--headless',
    // The page is our own file with no script; Chromium's sandbox cannot start as root or
    // in many containers, and has nothing to guard here.
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-extensions',
    '--disable-sync',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-pdf-header-footer',
    `--user-data-dir=${profile}`,
    `--print-to-pdf=${pdfPath}`,
    pathToFileURL(htmlPath).href,
  ];
  try {
    await new Promise<void>((resolve, reject) => {
      execFile(chromium, args, { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 }, (error, _stdout, stderr) => {
        if (error) {
          const why = error.killed ? `did not finish within ${timeoutMs / 1000} s` : `failed (${error.code ?? error.signal ?? 'no exit code'})`;
          const tail = String(stderr).trim().split('\n').filter((l) => !/dbus|unexpected operator/i.test(l)).slice(-3).join(' | ');
          reject(new ReportPackError(`Chromium at ${chromium} ${why} printing the PDF${tail ? `: ${tail.slice(0, 300)}` : ''}; the previous pack is unchanged.`, { cause: error }));
        } else resolve();
      });
    });
    let head = '';
    try {
      head = readFileSync(pdfPath).subarray(0, 5).toString('latin1');
    } catch {
      // reported below
    }
    if (head !== '%PDF-') throw new ReportPackError(`Chromium at ${chromium} ran but wrote no PDF; the previous pack is unchanged.`);
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}
