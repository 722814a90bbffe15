// The month-end pack for one organization and month: index.html (self-contained), one CSV
// per view, and a PDF when Chromium is there; written whole into `out` or not at all.
import { writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { buildMarts, type Warehouse } from '../../load/index.ts';
import { checkPackTarget, openAtomicFolder } from './atomic-folder.ts';
import { findChromium, printPdf } from './chromium-pdf.ts';
import { writePackCsv } from './pack-csv.ts';
import { readOrganization, readPackData } from './pack-data.ts';
import { renderPackHtml } from './render-pack-html.ts';
import { ReportPackError } from './report-pack-error.ts';
import { parsePeriod } from './report-period.ts';

export interface ReportPackOptions {
  orgId: string;
  /** The month, `yyyy-mm`. */
  period: string;
  /** The pack's folder; replaced whole when it already holds a pack. */
  out: string;
  /** Chromium for the PDF: default $CHROMIUM_PATH, else /usr/bin/chromium; null for no PDF. */
  chromiumPath?: string | null;
  /** Rebuild the marts first (default true) so the pack never shows stale marts; false when the caller just built them. */
  buildMarts?: boolean;
  /** Mapping files for that build; default load/mappings. */
  mappingsDir?: string;
  /** The "generated at" time; default now. */
  now?: Date;
}

export interface ReportPackResult {
  html: string;
  csv: string[];
  pdf: string | null;
  /** Why there is no PDF (e.g. "no PDF: Chromium not found at /usr/bin/chromium"); null when there is one. */
  pdfNote: string | null;
}

export async function writeReportPack(warehouse: Warehouse, options: ReportPackOptions): Promise<ReportPackResult> {
  const period = parsePeriod(options.period);
  if (!period) throw new ReportPackError(`The period "${options.period}" is not a month: write it as yyyy-mm, e.g. 2026-06.`);
  const out = resolve(options.out);
  checkPackTarget(out);
  await readOrganization(warehouse, options.orgId); // before the marts build: a typo fails at once
  if (options.buildMarts ?? true) await buildMarts(warehouse, options.mappingsDir === undefined ? {} : { mappingsDir: options.mappingsDir });
  const data = await readPackData(warehouse, options.orgId, period);
  const folder = openAtomicFolder(out);
  try {
    writeFileSync(join(folder.temp, 'index.html'), renderPackHtml(data, { generatedAt: options.now ?? new Date() }), 'utf8');
    const csv = writePackCsv(folder.temp, data).map((p) => join(out, 'csv', basename(p)));
    const chromium = findChromium(options.chromiumPath);
    if (chromium.path) await printPdf(chromium.path, join(folder.temp, 'index.html'), join(folder.temp, 'report.pdf'));
    folder.commit();
    return {
      html: join(out, 'index.html'),
      csv,
      pdf: chromium.path ? join(out, 'report.pdf') : null,
      pdfNote: chromium.path ? null : options.chromiumPath === null ? 'no PDF: none asked for' : `no PDF: Chromium not found at ${chromium.looked} (set CHROMIUM_PATH to its path)`,
    };
  } catch (error) {
    folder.discard();
    throw error;
  }
}
