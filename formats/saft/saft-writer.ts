// Writes a LedgerExport as SAF-T Financial 1.30 (Norway), valid against
// Norwegian_SAF-T_Financial_Schema_v_1.30.xsd: elements in XSD order, mandatory elements
// always present (with documented fallbacks), text cut to each type's maximum length.
// Vouchers are streamed to disk journal by journal; the document is never held in memory.
// The file appears atomically (model/atomic-file.ts): written to a temp file, then renamed.

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { AnalysisTypeCoder } from './saft-dimensions.ts';
import { SAFT_NS } from './saft-records.ts';
import { normaliseDecimal, parseIsoDate } from './saft-values.ts';
import { formatMoney, osloToday, parseMoney, replaceFileAtomically, systemClock, type Clock } from '../../model/index.ts';
import type { LedgerExport, LedgerLine, Money, PartyRow, Voucher } from '../../model/index.ts';

// SAF-T text types: maximum length in characters.
const CODE = 9;
const SHORT = 18;
const MID1 = 35;
const MID2 = 70;
const LONG = 256;

const WRITER_VERSION = '0.1.0';

/** `clock` dates the file (AuditFileDateCreated). */
export async function writeSaftFile(ledger: LedgerExport, path: string, options: { clock?: Clock } = {}): Promise<void> {
  await replaceFileAtomically(path, async (tmp) => {
    const stream = createWriteStream(tmp);
    const out = new XmlOut(stream);
    try {
      await writeDocument(ledger, out, osloToday(options.clock ?? systemClock));
      await out.end();
    } catch (e) {
      // Wait for the stream to let go of the file, or the temp file could reappear after its removal.
      if (!stream.closed) {
        const closed = once(stream, 'close');
        stream.destroy();
        await closed.catch(() => undefined);
      }
      throw e;
    }
  });
}

/** Buffers small strings into large writes and respects backpressure. */
class XmlOut {
  private parts: string[] = [];
  private size = 0;
  private failed: Error | null = null;

  constructor(private readonly stream: WriteStream) {
    stream.on('error', (e) => (this.failed = e));
  }

  async write(s: string): Promise<void> {
    this.parts.push(s);
    this.size += s.length;
    if (this.size >= 1 << 16) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.failed) throw this.failed;
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    // events.once rejects by itself when the stream errors while we wait.
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  async end(): Promise<void> {
    await this.flush();
    const done = once(this.stream, 'close');
    this.stream.end();
    await done;
    if (this.failed) throw this.failed;
  }
}

// ------------------------------------------------------------------ text helpers

// Characters XML 1.0 cannot carry at all (control characters, lone surrogates, U+FFFE/FFFF).
const INVALID_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Escaped text, cut to `max` characters (code points, as the XSD counts them). */
function text(value: string, max: number): string {
  let v = value.replace(INVALID_XML, '');
  if (v.length > max) {
    const cps = [...v];
    if (cps.length > max) v = cps.slice(0, max).join('');
  }
  // \r is escaped so a parser does not normalise it away.
  return v.replace(/[&<>\r]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#13;'));
}

function el(name: string, value: string, max: number): string {
  return `<${name}>${text(value, max)}</${name}>`;
}

/** The element when there is a value, else nothing. */
function opt(name: string, value: unknown, max: number): string {
  return typeof value === 'string' && value !== '' ? el(name, value, max) : '';
}

function optDate(name: string, value: unknown): string {
  const d = typeof value === 'string' ? parseIsoDate(value) : null;
  return d === null ? '' : `<${name}>${d}</${name}>`;
}

function money(v: Money): string {
  return formatMoney(v);
}

function abs(v: Money): Money {
  return v < 0n ? -v : v;
}

/** Debit/credit choice for a signed balance. */
function balance(side: 'Opening' | 'Closing', v: Money): string {
  return v >= 0n ? `<${side}DebitBalance>${money(v)}</${side}DebitBalance>` : `<${side}CreditBalance>${money(-v)}</${side}CreditBalance>`;
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

function isDecimal(v: unknown, total: number, fraction: number): v is string {
  if (typeof v !== 'string') return false;
  const n = normaliseDecimal(v);
  if (n === null) return false;
  const [whole = '', frac = ''] = n.replace('-', '').split('.');
  return frac.length <= fraction && (whole.replace(/^0+/, '') + frac).length <= total;
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;
const COUNTRY = /^[A-Z]{2}$/;
const CURRENCY = /^[A-Z]{3}$/;

// ------------------------------------------------------------------ document

async function writeDocument(ledger: LedgerExport, out: XmlOut, today: string): Promise<void> {
  const org = ledger.organization;
  const country = org.country ?? 'NO';
  await out.write(`<?xml version="1.0" encoding="UTF-8"?>\n<AuditFile xmlns="${SAFT_NS}">\n`);
  await out.write(
    '<Header>' +
      el('AuditFileVersion', '1.30', CODE) +
      el('AuditFileCountry', country, 2) +
      `<AuditFileDateCreated>${today}</AuditFileDateCreated>` +
      el('SoftwareCompanyName', 'ledgerhouse', MID2) +
      el('SoftwareID', 'ledgerhouse', LONG) +
      el('SoftwareVersion', WRITER_VERSION, SHORT) +
      '<Company>' +
      el('RegistrationNumber', org.org_number ?? org.source_company_ref ?? '', MID1) +
      el('Name', org.name, LONG) +
      // Contact is mandatory; SAF-T's convention for "no structured name" is FirstName NotUsed.
      '<Contact><ContactPerson><FirstName>NotUsed</FirstName><LastName>NotUsed</LastName></ContactPerson></Contact>' +
      '</Company>' +
      el('DefaultCurrencyCode', org.base_currency, 3) +
      `<SelectionCriteria><SelectionStartDate>${ledger.fiscal_year.start_date}</SelectionStartDate><SelectionEndDate>${ledger.fiscal_year.end_date}</SelectionEndDate></SelectionCriteria>` +
      '<TaxAccountingBasis>A</TaxAccountingBasis>' +
      '</Header>\n',
  );

  const dimensionTypes = new AnalysisTypeCoder(ledger.dimensions.map((d) => d.dimension_type));
  await writeMasterFiles(ledger, out, country, dimensionTypes);

  const rates = new Map(ledger.tax_codes.map((t) => [t.tax_code, t.rate] as const));
  await out.write(
    '<GeneralLedgerEntries>' +
      `<NumberOfEntries>${ledger.totals.entries}</NumberOfEntries>` +
      `<TotalDebit>${money(ledger.totals.debit)}</TotalDebit>` +
      `<TotalCredit>${money(ledger.totals.credit)}</TotalCredit>\n`,
  );
  await writeJournals(ledger, out, (v) => transactionXml(v, dimensionTypes, rates));
  await out.write('</GeneralLedgerEntries>\n</AuditFile>\n');
}

async function writeMasterFiles(ledger: LedgerExport, out: XmlOut, country: string, dims: AnalysisTypeCoder): Promise<void> {
  await out.write('<MasterFiles>\n');
  if (ledger.accounts.length > 0) {
    await out.write('<GeneralLedgerAccounts>\n');
    for (const a of ledger.accounts) {
      await out.write(
        '<Account>' +
          el('AccountID', a.account_id, MID2) +
          el('AccountDescription', a.name, LONG) +
          // Both are mandatory in 1.30; "NA" is the code list's value for "not mapped".
          el('GroupingCategory', a.grouping_category ?? 'NA', LONG) +
          el('GroupingCode', a.grouping_code ?? 'NA', MID1) +
          '<AccountType>GL</AccountType>' +
          optDate('AccountCreationDate', a.extra?.AccountCreationDate) +
          balance('Opening', a.opening) +
          balance('Closing', a.closing) +
          '</Account>\n',
      );
    }
    await out.write('</GeneralLedgerAccounts>\n');
  }
  for (const type of ['customer', 'supplier'] as const) {
    const list = ledger.parties.filter((p) => p.party_type === type);
    if (list.length === 0) continue;
    const tag = type === 'customer' ? 'Customer' : 'Supplier';
    await out.write(`<${tag}s>\n`);
    for (const p of list) await out.write(partyXml(p, tag));
    await out.write(`</${tag}s>\n`);
  }
  if (ledger.tax_codes.length > 0) {
    let x = '<TaxTable><TaxTableEntry><TaxType>MVA</TaxType><Description>Merverdiavgift</Description>\n';
    for (const t of ledger.tax_codes) {
      x +=
        '<TaxCodeDetails>' +
        el('TaxCode', t.tax_code, MID2) +
        opt('Description', t.description, LONG) +
        (isDecimal(t.rate, 18, 8) ? `<TaxPercentage>${normaliseDecimal(t.rate)}</TaxPercentage>` : '') +
        el('Country', COUNTRY.test(country) ? country : 'NO', 2) +
        el('StandardTaxCode', t.standard_tax_code !== null && /^[0-9anAN]{1,2}$/.test(t.standard_tax_code) ? t.standard_tax_code : 'NA', 2) +
        '<BaseRate>100</BaseRate>' +
        '</TaxCodeDetails>\n';
    }
    await out.write(`${x}</TaxTableEntry></TaxTable>\n`);
  }
  if (ledger.dimensions.length > 0) {
    await out.write('<AnalysisTypeTable>\n');
    for (const d of ledger.dimensions) {
      const t = dims.get(d.dimension_type);
      await out.write(
        '<AnalysisTypeTableEntry>' +
          el('AnalysisType', t.code, CODE) +
          el('AnalysisTypeDescription', t.description, LONG) +
          el('AnalysisID', d.dimension_id, MID1) +
          el('AnalysisIDDescription', d.name || d.dimension_id, LONG) +
          `<Status>${d.is_active ? 'Active' : 'Passive'}</Status>` +
          '</AnalysisTypeTableEntry>\n',
      );
    }
    await out.write('</AnalysisTypeTable>\n');
  }
  await out.write('</MasterFiles>\n');
}

function partyXml(p: PartyRow, tag: 'Customer' | 'Supplier'): string {
  let x = `<${tag}>` + opt('RegistrationNumber', p.org_number, MID1) + el('Name', p.name, LONG);
  if (p.country !== null && COUNTRY.test(p.country)) x += `<Address><Country>${p.country}</Country></Address>`;
  x += el(`${tag}ID`, p.party_id, MID1);
  const balances = p.extra?.balance_accounts;
  if (Array.isArray(balances)) {
    for (const b of balances as Record<string, unknown>[]) {
      const opening = typeof b.opening === 'string' ? parseMoney(b.opening) : null;
      const closing = typeof b.closing === 'string' ? parseMoney(b.closing) : null;
      if (opening === null || closing === null) continue;
      x += '<BalanceAccount>' + opt('AccountID', b.account_id, MID2) + balance('Opening', opening) + balance('Closing', closing) + '</BalanceAccount>';
    }
  }
  return `${x}</${tag}>\n`;
}

/**
 * One Journal element per journal, each holding its own vouchers: one pass over
 * `ledger.vouchers()` per journal, so vouchers need not arrive grouped by journal. Journals
 * that only the vouchers name are found on the first pass and written after the listed ones.
 */
async function writeJournals(ledger: LedgerExport, out: XmlOut, toXml: (v: Voucher) => string): Promise<void> {
  const order = ledger.journals.map((j) => j.journal_id);
  const known = new Set(order);
  const names = new Map(ledger.journals.map((j) => [j.journal_id, j] as const));
  if (order.length === 0) {
    for await (const v of ledger.vouchers()) {
      if (!known.has(v.journal_id)) {
        known.add(v.journal_id);
        order.push(v.journal_id);
      }
    }
  }
  for (let i = 0; i < order.length; i++) {
    const id = order[i]!;
    const j = names.get(id);
    const type = j === undefined ? 'GL' : journalTypeCode(j.journal_type);
    await out.write('<Journal>' + el('JournalID', id, SHORT) + el('Description', j?.name || id, LONG) + el('Type', type, CODE) + '\n');
    for await (const v of ledger.vouchers()) {
      if (i === 0 && !known.has(v.journal_id)) {
        known.add(v.journal_id);
        order.push(v.journal_id);
      }
      if (v.journal_id === id && v.lines.length > 0) await out.write(toXml(v));
    }
    await out.write('</Journal>\n');
  }
}

function journalTypeCode(journalType: string): string {
  const raw = journalType.startsWith('saft:') ? journalType.slice(5) : journalType.replace(/^[a-z]+:/, '');
  const code = [...raw].slice(0, CODE).join('');
  return code === '' ? 'GL' : code;
}

const VOUCHER_TEXT: [string, number][] = [
  ['SourceID', MID1],
  ['VoucherType', MID2],
  ['VoucherDescription', MID2],
  ['TransactionType', SHORT],
];

function transactionXml(v: Voucher, dims: AnalysisTypeCoder, rates: Map<string, string | null>): string {
  const e = v.extra ?? {};
  const [year, month] = v.voucher_date.split('-');
  const posting = v.posting_date ?? v.voucher_date;
  let x =
    '<Transaction>' +
    el('TransactionID', v.voucher_number, MID2) +
    // PeriodYear is restricted to 1970–2100; a date outside that is kept in TransactionDate.
    `<Period>${Number(month)}</Period><PeriodYear>${Math.min(2100, Math.max(1970, Number(year)))}</PeriodYear>` +
    `<TransactionDate>${v.voucher_date}</TransactionDate>`;
  for (const [name, max] of VOUCHER_TEXT) x += opt(name, e[name], max);
  x +=
    el('Description', v.description ?? '', LONG) +
    opt('BatchID', e.BatchID, MID1) +
    `<SystemEntryDate>${(typeof e.SystemEntryDate === 'string' ? parseIsoDate(e.SystemEntryDate) : null) ?? v.voucher_date}</SystemEntryDate>` +
    `<GLPostingDate>${posting}</GLPostingDate>` +
    optDate('ModificationDate', v.source_modified_at?.slice(0, 10)) +
    opt('SystemID', e.SystemID, SHORT) +
    '\n';
  for (let i = 0; i < v.lines.length; i++) x += lineXml(v.lines[i]!, i, dims, rates);
  return `${x}</Transaction>\n`;
}

const LINE_TAIL: [string, number][] = [
  ['ReferenceNumber', MID1],
  ['CID', MID1],
];

function lineXml(l: LedgerLine, index: number, dims: AnalysisTypeCoder, rates: Map<string, string | null>): string {
  const e = l.extra ?? {};
  const side = l.amount >= 0n ? 'Debit' : 'Credit';
  const sign = l.amount >= 0n ? 1n : -1n;
  let x = '<Line>' + el('RecordID', str(e.RecordID) ?? String(index + 1), SHORT) + el('AccountID', l.account_id, MID2);
  const amounts = Array.isArray(e.analysis_amounts) ? (e.analysis_amounts as Record<string, unknown>[]) : [];
  for (const d of l.dimensions) {
    const t = dims.get(d.dimension_type);
    x += '<Analysis>' + el('AnalysisType', t.code, CODE) + el('AnalysisID', d.dimension_id, LONG);
    const a = amounts.find((m) => m.dimension_type === d.dimension_type && m.AnalysisID === d.dimension_id);
    const amt = a !== undefined && typeof a.amount === 'string' ? parseMoney(a.amount) : null;
    if (a !== undefined && amt !== null) x += amountXml(amt >= 0n ? 'DebitAnalysisAmount' : 'CreditAnalysisAmount', amt, a.currency_code, a.currency_amount, a.exchange_rate);
    x += '</Analysis>';
  }
  x += optDate('ValueDate', e.ValueDate) + opt('SourceDocumentID', e.SourceDocumentID, MID1);
  if (l.party_type !== null && l.party_id !== null) x += el(l.party_type === 'customer' ? 'CustomerID' : 'SupplierID', l.party_id, MID1);
  x += el('Description', l.description ?? '', LONG);
  x += `<${side}Amount><Amount>${money(abs(l.amount))}</Amount>`;
  if (l.currency !== null && CURRENCY.test(l.currency) && l.currency_amount !== null) {
    // Written relative to the side so the sign survives even when it differs from the amount's.
    x += `<CurrencyCode>${l.currency}</CurrencyCode><CurrencyAmount>${money(l.currency_amount * sign)}</CurrencyAmount>`;
    if (isDecimal(e.ExchangeRate, 18, 8)) x += `<ExchangeRate>${e.ExchangeRate}</ExchangeRate>`;
  }
  x += `</${side}Amount>`;
  x += taxXml(l, e, rates);
  for (const [name, max] of LINE_TAIL) x += opt(name, e[name], max);
  x += optDate('DueDate', e.DueDate);
  if (isDecimal(e.Quantity, 22, 6)) x += `<Quantity>${e.Quantity}</Quantity>`;
  x += opt('CrossReference', e.CrossReference, MID1);
  if (typeof e.SystemEntryTime === 'string' && DATE_TIME.test(e.SystemEntryTime)) x += `<SystemEntryTime>${e.SystemEntryTime}</SystemEntryTime>`;
  x += opt('OwnerID', e.OwnerID, MID1);
  return `${x}</Line>\n`;
}

function amountXml(tag: string, signed: Money, currency: unknown, currencyAmount: unknown, rate: unknown): string {
  const sign = signed >= 0n ? 1n : -1n;
  let x = `<${tag}><Amount>${money(abs(signed))}</Amount>`;
  const ca = typeof currencyAmount === 'string' ? parseMoney(currencyAmount) : null;
  if (typeof currency === 'string' && CURRENCY.test(currency) && ca !== null) {
    x += `<CurrencyCode>${currency}</CurrencyCode><CurrencyAmount>${money(ca * sign)}</CurrencyAmount>`;
    if (isDecimal(rate, 18, 8)) x += `<ExchangeRate>${rate}</ExchangeRate>`;
  }
  return `${x}</${tag}>`;
}

/**
 * TaxInformation as read from a SAF-T file (kept in the line's extra) when it still agrees
 * with `vat_code`; otherwise one element for `vat_code`, with the line as TaxBase and the tax
 * at the code's rate (0 when the rate is unknown): TaxInformation is informational in SAF-T.
 */
function taxXml(l: LedgerLine, e: Record<string, unknown>, rates: Map<string, string | null>): string {
  const kept = Array.isArray(e.TaxInformation) ? (e.TaxInformation as Record<string, unknown>[]) : [];
  if (kept.length > 0 && (l.vat_code === null || kept[0]!.TaxCode === l.vat_code)) {
    let x = '';
    for (const t of kept) {
      const amt = typeof t.amount === 'string' ? parseMoney(t.amount) : null;
      if (amt === null) continue;
      x +=
        '<TaxInformation>' +
        (t.TaxType === 'MVA' ? '<TaxType>MVA</TaxType>' : '') +
        opt('TaxCode', t.TaxCode, MID2) +
        (isDecimal(t.TaxPercentage, 30, 30) ? `<TaxPercentage>${t.TaxPercentage}</TaxPercentage>` : '') +
        (typeof t.Country === 'string' && COUNTRY.test(t.Country) ? `<Country>${t.Country}</Country>` : '') +
        (isDecimal(t.TaxBase, 30, 30) ? `<TaxBase>${t.TaxBase}</TaxBase>` : '') +
        opt('TaxBaseDescription', t.TaxBaseDescription, MID2) +
        amountXml(amt >= 0n ? 'DebitTaxAmount' : 'CreditTaxAmount', amt, t.currency_code, t.currency_amount, t.exchange_rate) +
        opt('TaxExemptionReason', t.TaxExemptionReason, MID2) +
        opt('TaxDeclarationPeriod', t.TaxDeclarationPeriod, MID1) +
        '</TaxInformation>';
    }
    if (x !== '') return x;
  }
  if (l.vat_code === null) return '';
  const rate = rates.get(l.vat_code) ?? null;
  const base = abs(l.amount);
  const tax = rate !== null && normaliseDecimal(rate) !== null ? percentOf(base, normaliseDecimal(rate)!) : 0n;
  const side = l.amount >= 0n ? 'DebitTaxAmount' : 'CreditTaxAmount';
  return (
    '<TaxInformation><TaxType>MVA</TaxType>' +
    el('TaxCode', l.vat_code, MID2) +
    (rate !== null && normaliseDecimal(rate) !== null ? `<TaxPercentage>${normaliseDecimal(rate)}</TaxPercentage>` : '') +
    `<TaxBase>${money(base)}</TaxBase>` +
    `<${side}><Amount>${money(tax)}</Amount></${side}>` +
    '</TaxInformation>'
  );
}

/** `base × rate / 100`, rounded half away from zero, in minor units. */
function percentOf(base: Money, rate: string): Money {
  const [whole = '0', frac = ''] = rate.replace('-', '').split('.');
  const scaled = BigInt(whole + frac);
  const divisor = 100n * 10n ** BigInt(frac.length);
  const q = (base * scaled * 2n + divisor) / (2n * divisor);
  return rate.startsWith('-') ? -q : q;
}
