// The public face of transform/: ledger events into the unified tables' Arrow batches.
export { BatchBuilder, arrowSchema, dateToDays, daysToDate, type CellValue } from './batch-builder.ts';
export { transformFileLedger, emptyTransformResult, type TableBatch, type FileTransformResult, type FileTransformContext, type FiscalYearStats } from './file-ledger-transform.ts';
export { accountTypeByNumber } from './account-type.ts';
export { recycleBuffers } from './recycled-buffers.ts';
export * from './validations/index.ts';
