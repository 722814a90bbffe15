// The public face of transform/: the ledger model, money, and the mapping to unified batches.
export type * from './ledger-model.ts';
export { parseMoney, formatMoney, fitsDecimal18, moneyFromJsonNumber } from './money.ts';
export { unifiedTables, type UnifiedTable, type ColumnSpec, type ColumnKind } from './unified-schema.ts';
export { BatchBuilder, arrowSchema, dateToDays, daysToDate, type CellValue } from './batch-builder.ts';
export { transformFileLedger, emptyTransformResult, type TableBatch, type FileTransformResult, type FileTransformContext, type FiscalYearStats } from './file-ledger-transform.ts';
export { accountTypeByNumber } from './account-type.ts';
export { FiscalCalendar } from './fiscal-calendar.ts';
export { describeLocation } from './source-location.ts';
export { VoucherIdSet } from './voucher-id-set.ts';
