// Checks every ledger gets, whatever it came from (a SAF-T or SIE file, an API): each
// voucher balances, control totals match the ledger, closing = opening + movements.
export { voucherBalance, unbalancedVoucherMessage, type VoucherBalance } from './voucher-balance.ts';
export { addLine, addVoucher, controlTotalMismatches, emptyTotals, sameTotals, type ControlTotals } from './control-totals.ts';
export { AccountMovements, closingMismatch, type ClosingMismatch } from './closing-balance.ts';
