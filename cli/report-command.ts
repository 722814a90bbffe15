import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Warehouse } from '../load/index.ts';
import { ReportPackError, parsePeriod, writeReportPack } from '../reports/pack/index.ts';
import { orgId, requiredString, warehousePath } from './terminal/options.ts';
import { UsageError } from '../pipeline/index.ts';

/** `ledgerhouse report`: the month-end pack (HTML, CSV per view, PDF when Chromium is there). */
export async function reportCommand(values: Record<string, unknown>): Promise<number> {
  const org = orgId(values);
  const periodText = requiredString(values, 'period', 'give the month, e.g. --period 2026-06');
  if (!parsePeriod(periodText)) throw new UsageError(`--period "${periodText}" is not a month: write it as yyyy-mm, e.g. --period 2026-06.`);
  const out = requiredString(values, 'out', 'give the folder to write the pack to, e.g. --out packs/acme-2026-06');
  const path = warehousePath(values);
  // Opening a missing file would create an empty warehouse: a mistyped path should say so instead.
  if (!existsSync(path)) throw new UsageError(`The warehouse ${path} does not exist; import or sync into it first, or point --warehouse at yours.`);
  const started = performance.now();
  const warehouse = await Warehouse.open(path);
  try {
    const pack = await writeReportPack(warehouse, { orgId: org, period: periodText, out });
    console.log(`Report pack for ${org}, ${periodText}: ${pack.html}`);
    console.log(`  CSV: ${pack.csv.length} views in ${join(dirname(pack.html), 'csv')}`);
    console.log(pack.pdf ? `  PDF: ${pack.pdf}` : `  ${pack.pdfNote}`);
    console.log(`  done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return 0;
  } catch (error) {
    // The pack's own refusals are one sentence for a person, like the warehouse's.
    if (error instanceof ReportPackError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  } finally {
    warehouse.close();
  }
}
