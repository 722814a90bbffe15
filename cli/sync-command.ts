import { Warehouse } from '../load/index.ts';
import { configPath, existingCredentialStore, loadConfig, orgIdArgument, requireOrganization, resolveWarehouse, afterRun, connection, debugLog, printedIssues, syncOrganization, type SyncSummary } from '../pipeline/index.ts';
import { terminalProgress } from './terminal/progress.ts';
import { canPrompt, promptLine } from './terminal/prompt.ts';
import type { FiscalYearRow } from '../model/index.ts';
import { onInterrupt } from './terminal/interrupt.ts';

/** `ledgerhouse sync <id> [--fiscal-year <y>] [--full] [--replace-file-ledger] [--accept-deletions]`: exit 0 when every stream succeeded. */
export async function syncCommand(values: Record<string, unknown>, positionals: string[]): Promise<number> {
  const path = configPath(values);
  const config = await loadConfig(path);
  const orgId = orgIdArgument(positionals, 'ledgerhouse sync acme');
  const org = requireOrganization(config, orgId, path);
  const source = (await connection(orgId, org, await existingCredentialStore(path), { log: debugLog() })).source();
  const warehousePath = resolveWarehouse(path, config, values);
  const warehouse = await Warehouse.open(warehousePath);
  const interrupt = onInterrupt();
  try {
    const summary = await syncOrganization(warehouse, source, {
      orgId,
      keepYears: org.keepYears,
      fiscalYear: values['fiscal-year'] as string | undefined,
      full: values.full === true,
      // A file's ledger is replaced when the operator says so: the flag, or a yes at the terminal.
      replaceFileLedger: values['replace-file-ledger'] === true ? true : canPrompt() ? askToReplace : false,
      acceptDeletions: values['accept-deletions'] === true,
      progress: terminalProgress(),
      signal: interrupt.signal,
    });
    printSyncSummary(orgId, warehousePath, summary);
    if (summary.status !== 'failed') await afterRun(warehouse);
    return summary.status === 'succeeded' ? 0 : 1;
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

/** Asks once per year whose ledger a file import loaded; anything but yes keeps it. */
async function askToReplace(year: FiscalYearRow, fileSource: string): Promise<boolean> {
  const answer = await promptLine(`Fiscal year ${year.label} was loaded from a ${fileSource.toUpperCase()} file. Replace its ledger with the provider's? [y/N] `);
  return /^\s*y(es)?\s*$/i.test(answer);
}

export function printSyncSummary(orgId: string, warehousePath: string, summary: SyncSummary): void {
  const org = summary.organization;
  console.log(`${orgId}: ${org.name}${org.org_number ? ` (${org.org_number})` : ''}, fiscal years ${summary.years.map((y) => y.label).join(', ')} → ${warehousePath}`);
  const rows = summary.streams.map((s) => [
    s.stream,
    s.slice,
    s.status,
    s.rows.toLocaleString('en'),
    s.status === 'skipped' ? '' : `${(s.ms / 1000).toFixed(1)} s`,
    s.stream === 'vouchers' && s.status === 'succeeded' ? `+${s.changes.inserted} ~${s.changes.updated} -${s.changes.deleted}` : '',
  ]);
  const header = ['stream', 'slice', 'status', 'rows', 'time', 'vouchers +new ~changed -deleted'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const line of [header, ...rows]) console.log(`  ${line.map((cell, i) => (i === 3 || i === 4 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ')}`.trimEnd());
  for (const s of summary.streams.filter((o) => o.status !== 'succeeded')) console.log(`  ${s.stream} ${s.slice} ${s.status}: ${s.note}`);
  if (summary.warnings.length) console.log(`  ${summary.warnings.length} warning(s), kept in import_issue:`);
  for (const line of printedIssues(summary.warnings, 10)) console.log(`    ${line}`);
  for (const kept of summary.keptFileLedgers) console.log(`  ${kept.message}`);
  console.log(`Run ${summary.runId}: ${summary.status}.`);
}
