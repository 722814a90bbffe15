import { basename } from 'node:path';
import { Warehouse } from '../load/index.ts';
import { afterRun, DEBUG_ENV, groupImportFiles, importFile, type ImportSummary, printedIssues, UsageError } from '../pipeline/index.ts';
import { reportError } from './terminal/error-report.ts';
import { orgId, positiveInteger, warehousePath } from './terminal/options.ts';
import { terminalProgress } from './terminal/progress.ts';
import { onInterrupt } from './terminal/interrupt.ts';

export async function importCommand(values: Record<string, unknown>, files: string[]): Promise<number> {
  if (files.length === 0) throw new UsageError('Give at least one file to import.');
  const org = orgId(values);
  const keepYears = positiveInteger(values, 'keep-years', 3);
  const warehouse = await Warehouse.open(warehousePath(values));
  const interrupt = onInterrupt();
  try {
    // One file that fails does not stop the others; the run ends saying which failed.
    const groups = groupImportFiles(files);
    const failed: string[] = [];
    for (const group of groups) {
      if (interrupt.signal.aborted) break;
      try {
        const options = { orgId: org, force: values.force === true, acceptDeletions: values['accept-deletions'] === true, keepYears, progress: terminalProgress(), signal: interrupt.signal };
        printSummary(await importFile(warehouse, group, options));
      } catch (error) {
        if (groups.length === 1 || interrupt.signal.aborted) throw error;
        reportError(error, process.env[DEBUG_ENV] === '1');
        failed.push(group.map((f) => basename(f)).join(', '));
      }
    }
    if (interrupt.signal.aborted) {
      console.error('Interrupted; the files imported before it are kept, the others were not imported.');
      return interrupt.exitCode()!;
    }
    if (failed.length < groups.length) await afterRun(warehouse);
    if (failed.length === 0) return 0;
    console.error(`${failed.length} of ${groups.length} imports failed (${failed.join('; ')}); ${failed.length === groups.length ? 'nothing was imported' : 'the others were imported'}.`);
    return 1;
  } catch (error) {
    if (interrupt.signal.aborted) {
      console.error((error as Error).message);
      return interrupt.exitCode()!;
    }
    throw error;
  } finally {
    interrupt.release();
    warehouse.close();
  }
}

export function printSummary(s: ImportSummary): void {
  const detail = [s.formatVersion, s.encoding && `encoding ${s.encoding}`].filter(Boolean).join(', ');
  console.log(`Imported ${s.files.join(', ')} (${detail}) as run ${s.runId}`);
  for (const y of s.years) {
    console.log(`  fiscal year ${y.label}: ${y.vouchers} vouchers, ${y.lines} lines, debit ${y.debit}, credit ${y.credit}`);
  }
  const c = s.changes;
  console.log(`  changes: ${c.inserted} inserted, ${c.updated} updated, ${c.deleted} deleted`);
  if (s.skippedYears.length) console.log(`  skipped (older than the history window): ${s.skippedYears.join(', ')}`);
  if (s.expiredYears.length) console.log(`  removed from the warehouse (fell out of the history window): ${s.expiredYears.join(', ')}`);
  if (s.forcedErrors.length) {
    console.log(`  ${s.forcedErrors.length} failed checks imported anyway (--force); see table import_issue:`);
    for (const line of printedIssues(s.forcedErrors, 10)) console.log(`    ${line}`);
  }
  if (s.warnings.length) {
    console.log(`  ${s.warnings.length} warning${s.warnings.length === 1 ? '' : 's'} (kept in table import_issue):`);
    for (const line of printedIssues(s.warnings, 10)) console.log(`    ${line}`);
  }
}
