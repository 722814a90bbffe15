// The public face of load/: the DuckDB warehouse and everything that writes to it.
export { Warehouse, type Row, type SqlParams } from './warehouse.ts';
export { explainDuckDbError, WarehouseError } from './warehouse-error.ts';
export { migrations, latestSchemaVersion } from './migrations.ts';
export { ArrowAppender } from './arrow-appender.ts';
export { Staging } from './staging.ts';
export { commitSlices, recordIssues, type SliceCommit, type CommitOutcome } from './slice-commit.ts';
export { DeletionsHeldError, deletionsHeld, ALWAYS_ALLOWED_DELETIONS, MAX_DELETED_SHARE, MIN_REMAINING_SHARE, type YearDeletions } from './deletion-guard.ts';
export { statedAccountYears, type StatedAccountYear } from './closing-check.ts';
export { readSyncStates, writeSyncState, forgetSyncStates, SyncStates, ORGANIZATION_SLICE, type SyncState, readLedgerSources, type LedgerSource } from './sync-state.ts';
export { DocumentStore, documentFolderOf, sniffContentType, heldDocuments, sweepDocuments, listedDocumentHashes, type StoredFile, type HeldDocumentRow } from './document-store.ts';
export { startRun, finishRun, previousRunInterrupted, markAbandonedRuns, type RunStatus } from './run-record.ts';
export { readLedgerExport } from './ledger-export.ts';
export { trialBalance, type TrialBalanceRow } from './trial-balance.ts';
export { buildMarts, martTables, MappingFileError, type BuildMartsOptions, type MartsSummary } from './marts/build-marts.ts';
export { publishSnapshot } from './snapshot.ts';
