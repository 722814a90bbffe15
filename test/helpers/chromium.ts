// Chromium for the browser tests: Debian's chromium (installed by .ci/run) or $CHROMIUM_PATH.
// In CI a missing Chromium fails the tests that need it instead of skipping them quietly.
import { existsSync } from 'node:fs';

export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const chromiumFound = existsSync(chromiumPath);
export const inCi = !!process.env.CI && !/^(false|0)$/i.test(process.env.CI);

/** Skip only on a developer's machine without Chromium; never in CI. */
export const skipWithoutChromium = !chromiumFound && !inCi;

/** The path, or a failure that says how to get Chromium. */
export function requireChromium(): string {
  if (!chromiumFound) {
    throw new Error(`Chromium not found at ${chromiumPath}: .ci/run installs Debian's chromium (apt-get install chromium), or set CHROMIUM_PATH.`);
  }
  return chromiumPath;
}
