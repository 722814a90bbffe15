import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The shared reference folder sits beside the repository. Locally a missing folder skips
 * nothing silently: every test that needs it fails, in CI and out.
 */
export const referenceDir = resolve(import.meta.dirname, '../../../shared/reference');

export function referencePath(...parts: string[]): string {
  if (!existsSync(referenceDir)) {
    throw new Error(`The reference folder ${referenceDir} is missing; check out shared/ beside the repository.`);
  }
  return join(referenceDir, ...parts);
}
