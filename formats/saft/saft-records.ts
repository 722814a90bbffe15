// Element-name sets for the SAF-T records: what the reader maps onto columns. Everything else
// under a record goes to that record's `extra`, so 1.40/2.0 additions are kept, not dropped.

export const SAFT_NS = 'urn:StandardAuditFile-Taxation-Financial:NO';

export const HEADER_KNOWN = new Set([
  'AuditFileVersion', 'AuditFileCountry', 'AuditFileRegion', 'AuditFileDateCreated', 'SoftwareCompanyName',
  'SoftwareID', 'SoftwareVersion', 'Company', 'DefaultCurrencyCode', 'SelectionCriteria', 'HeaderComment',
  'TaxAccountingBasis', 'TaxEntity', 'UserID', 'AuditFileSender',
]);

export const ACCOUNT_MAPPED = new Set([
  'AccountID', 'AccountDescription', 'StandardAccountID', 'GroupingCategory', 'GroupingCode',
  'OpeningDebitBalance', 'OpeningCreditBalance', 'ClosingDebitBalance', 'ClosingCreditBalance',
]);

export const PARTY_MAPPED = new Set([
  'Name', 'RegistrationNumber', 'CustomerID', 'SupplierID', 'AccountID', 'BalanceAccount',
  'OpeningDebitBalance', 'OpeningCreditBalance', 'ClosingDebitBalance', 'ClosingCreditBalance',
]);

/** MasterFiles sections SAF-T marks "Not in use" (or that have no place in the unified schema). */
export const MASTER_SKIPPED = new Set([
  'Taxonomies', 'UOMTable', 'MovementTypeTable', 'Products', 'PhysicalStock', 'Owners', 'Assets',
]);

export const MASTER_SECTIONS: Record<string, string> = {
  GeneralLedgerAccounts: 'Account',
  Customers: 'Customer',
  Suppliers: 'Supplier',
  TaxTable: 'TaxTableEntry',
  AnalysisTypeTable: 'AnalysisTypeTableEntry',
};

/** Transaction children kept verbatim in the voucher's extra. */
export const VOUCHER_EXTRA = new Set([
  'Period', 'PeriodYear', 'SourceID', 'VoucherType', 'VoucherDescription', 'TransactionType', 'BatchID',
  'SystemID', 'SystemEntryDate', 'CustomerID', 'SupplierID',
]);

/** Line children kept verbatim in the line's extra. */
export const LINE_EXTRA = new Set([
  'RecordID', 'ValueDate', 'SourceDocumentID', 'ReferenceNumber', 'CID', 'DueDate', 'Quantity',
  'CrossReference', 'SystemEntryTime', 'OwnerID',
]);

export const LINE_DATES = new Set(['ValueDate', 'DueDate']);

export const AMOUNT_PARTS = new Set(['Amount', 'CurrencyCode', 'CurrencyAmount', 'ExchangeRate']);
