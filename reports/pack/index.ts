// The public face of reports/pack/: the month-end report pack (HTML, CSV, PDF).
export { writeReportPack, type ReportPackOptions, type ReportPackResult } from './write-report-pack.ts';
export { ReportPackError } from './report-pack-error.ts';
export { parsePeriod, type ReportPeriod } from './report-period.ts';
export { csvViewNames } from './pack-csv.ts';
export { findChromium, defaultChromiumPath } from './chromium-pdf.ts';
export { nordicDecimal, nordicAmount } from './nordic-format.ts';
