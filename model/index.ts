// The public face of model/: the kernel every stage imports. The ledger model, money in minor
// units, dates, the fiscal calendar, the unified schema and where in a file a thing was found.
export type * from './ledger-model.ts';
export { parseMoney, formatMoney, fitsDecimal18, moneyFromJsonNumber } from './money.ts';
export { unifiedTables, type UnifiedTable, type ColumnSpec, type ColumnKind } from './unified-schema.ts';
export { FiscalCalendar } from './fiscal-calendar.ts';
export { describeLocation } from './source-location.ts';
export { osloToday, addDays } from './iso-date.ts';
export { systemClock, FixedClock, type Clock } from './clock.ts';
export { VoucherIdSet } from './voucher-id-set.ts';
