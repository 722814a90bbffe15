// The Fortnox simulator's public face.
//
// Served (one port; OAuth and API side by side):
//   GET  /oauth-v1/auth?client_id&redirect_uri&scope&state&response_type=code[&access_type=offline][&account_type=service]
//        approves at once for `sim.consentCompany` (or answers access_denied when `sim.consentWithoutRights`)
//   POST /oauth-v1/token     Basic client auth; authorization_code | refresh_token (rotates immediately:
//                            the old refresh token is dead at once); answers `scope` too. Access tokens: 1 h on the clock.
//   POST /oauth-v1/revoke    Basic client auth; token=<refresh token>&token_type_hint=refresh_token → {"revoked":true}
//   GET  /3/companyinformation                                  (companyinformation)
//   GET  /3/financialyears[?date=YYYY-MM-DD], /3/financialyears/{Id}   (bookkeeping; ids not in date order)
//   GET  /3/accounts?financialyear={Id}                         (bookkeeping; BalanceBroughtForward = opening)
//   GET  /3/voucherseries[?financialyear]                       (bookkeeping)
//   GET  /3/vouchers?financialyear&[lastmodified=YYYY-MM-DD HH:MM][&voucherseries][&fromdate&todate]
//        list items carry only @url, ReferenceNumber, ReferenceType, VoucherNumber, VoucherSeries, Year (as recorded)
//   GET  /3/vouchers/{Series}/{Number}?financialyear={Id}       (bookkeeping; rows with Debit/Credit, Removed)
//   GET  /3/sie/4?financialyear={Id}, /3/sie/1?…               (bookkeeping; SIE in CP437, application/octet-stream; type 1 = balances only)
//   GET  /3/costcenters (costcenter), /3/projects (project), /3/customers (customer), /3/suppliers (supplier)
//   GET  /3/voucherfileconnections[?voucheryear={Id}][&voucherseries&vouchernumber], /{FileId}   (connectfile)
//   GET  /3/supplierinvoicefileconnections[?supplierinvoicenumber], /{FileId}                   (connectfile)
//   GET  /3/supplierinvoices[?financialyear|fromdate&todate]    (supplierinvoice; Vouchers[] link the voucher)
//   GET  /3/invoices[?financialyear|fromdate&todate]            (invoice; VoucherSeries/Number/Year link the voucher)
//   GET  /3/invoices/{DocumentNumber}/print                     (invoice; the invoice PDF)
//   GET  /3/archive/{FileId}, /3/archive?fileid={FileId}        (archive; file bytes, PDF or PNG)
//   GET  /3/archive[?path=…]                                    (archive; folder listing)
//   GET  /3/inbox/{Id}                                          (inbox; connected files are no longer there: 404)
// Lists page with page (1-based) & limit (default 100, max 500) and MetaInformation; errors are
// {"ErrorInformation":{"Error":1,"Message":…,"Code":…}}; a bad/expired token is 401 {"message":"unauthorized"};
// no integration licence: 403 code 2001103; a scope not consented: 403 code 2000663; over the
// limit (25 per 5 s per tenant by default): 429.
export { FortnoxSimulator } from './fortnox-simulator.ts';
export type { FortnoxSimulatorOptions, FortnoxStats, FortnoxMutationPlan, FortnoxMutationReport, FxDocument } from './fortnox-simulator.ts';
export { FORTNOX_SCOPES, type FortnoxScope } from './api-route.ts';
export { fortnoxSandbox } from './fortnox-sandbox.ts';
