// The public face of model/: the kernel every stage imports. The ledger model, money in minor
// units, dates, the fiscal calendar and year labels, the unified schema, where in a file a thing
// was found, and the small mechanisms every folder shares (atomic files, CSV records).
export type * from './ledger-model.ts';
export { parseMoney, formatMoney, fitsDecimal18, moneyFromJsonNumber } from './money.ts';
export { unifiedTables, type UnifiedTable, type ColumnSpec, type ColumnKind } from './unified-schema.ts';
export { FiscalCalendar } from './fiscal-calendar.ts';
export { fiscalYearLabel } from './fiscal-year-label.ts';
export { findFiscalYear, type FiscalYearKey, type FiscalYearLookup } from './fiscal-year-lookup.ts';
export { describeLocation } from './source-location.ts';
export {
  isLeapYear,
  daysInMonth,
  isCalendarDay,
  isIsoDate,
  epochDay,
  dayOf,
  dayOfTrusted,
  isoOf,
  addDays,
  addMonths,
  monthStart,
  osloToday,
  osloTodayDay,
  osloDateTime,
  parseOsloDateTime,
} from './iso-date.ts';
export { replaceFileAtomically, placeFileAtomically, writeFileAtomically, writeStreamAtomically, writeFileAtomicallySync, tempPathFor, type AtomicWriteOptions } from './atomic-file.ts';
export { parseCsv, CsvSyntaxError, type CsvRecord, type CsvReadOptions } from './csv-records.ts';
export { systemClock, FixedClock, type Clock } from './clock.ts';
export { VoucherIdSet } from './voucher-id-set.ts';
