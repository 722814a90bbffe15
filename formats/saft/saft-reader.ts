// Streaming reader for SAF-T Financial (Norway) 1.10/1.20/1.30. xml-scanner.ts feeds a small
// state machine: the structural levels (AuditFile, MasterFiles, GeneralLedgerEntries, Journal) are
// tracked by name, and each record below them (Header, Account, Customer, Transaction …) is
// gathered into a tiny element tree, turned into events and dropped. Memory holds one record,
// the chart of accounts and the keys needed for duplicate/reference checks, never the ledger.

import { FileFormatError } from '../file-format-error.ts';
import { describeLocation, VoucherIdSet, fiscalYearLabel, formatMoney } from '../../model/index.ts';
import type { AccountRow, Country, FileHeader, IsoDate, LedgerEvent, LedgerLine, LineDimension, Money, PartyRow, PartyType, SourceLocation, TaxCodeRow, Voucher } from '../../model/index.ts';
import { AccountMovements, closingMismatch, emptyTotals, sameTotals, unbalancedVoucherMessage, voucherBalance, type ControlTotals } from '../../transform/validations/index.ts';
import { normaliseDimensionType } from './saft-dimensions.ts';
import { readPartText, UNPACK_LIMITS } from './saft-input.ts';
import type { PartTextInfo, SaftPart, UnpackLimits } from './saft-input.ts';
import { LayoutDetector } from './saft-layout.ts';
import type { SaftLayout } from './saft-layout.ts';
import { ACCOUNT_MAPPED, AMOUNT_PARTS, HEADER_KNOWN, LINE_DATES, LINE_EXTRA, MASTER_SECTIONS, MASTER_SKIPPED, PARTY_MAPPED, SAFT_NS, VOUCHER_EXTRA } from './saft-records.ts';
import { firstDayOfMonth, isTwelveMonths, lastDayOfMonth, normaliseDecimal, parseIsoDate, parseSaftMoney } from './saft-values.ts';
import { MAX_CONSTRUCT_CHARS, XmlScanner, XmlSyntaxError } from './xml-scanner.ts';
import type { XmlAttribute } from './xml-scanner.ts';
import { child, childText, childrenNamed, newNode, restJson, textOf, toJson } from './saft-xml-tree.ts';
import type { XNode } from './saft-xml-tree.ts';

const ANALYSIS_MAPPED = new Set(['AnalysisType', 'AnalysisID', 'DebitAnalysisAmount', 'CreditAnalysisAmount', 'AnalysisAmount']);
const TAX_AMOUNTS = new Set(['DebitTaxAmount', 'CreditTaxAmount', 'TaxAmount']);

/** Events held back while the layout is still unknown, before falling back to the declared version. */
const LAYOUT_BUFFER = 2000;

interface PartState {
  index: number;
  name: string;
  declared: Partial<ControlTotals> & { line?: number };
  /** The control-total elements the part has, well-formed or not. */
  stated: Set<string>;
  /** Counted by the side each amount is stated on, to tell per-part figures from the set's. */
  actual: ControlTotals;
  hasGl: boolean;
}

interface AccountState {
  opening: Money | null;
  closing: Money | null;
  part: number;
  fingerprint: string;
  location: SourceLocation;
}

interface JournalCtx {
  id: string | null;
  description: string | null;
  type: string | null;
  line: number;
  emitted: boolean;
  /** Elements a journal has beyond JournalID, Description and Type. */
  extra: Record<string, unknown> | null;
}

interface RefUse {
  count: number;
  location: SourceLocation;
  what: string;
}

const COUNTRIES = new Set<Country>(['NO', 'SE', 'FI']);

/** How much a reader takes in before it refuses the input as hostile or damaged. */
export interface SaftReadLimits extends UnpackLimits {
  /** Characters of one XML construct (comment, text, tag …). */
  maxConstructChars: number;
}

export const SAFT_READ_LIMITS: SaftReadLimits = { ...UNPACK_LIMITS, maxConstructChars: MAX_CONSTRUCT_CHARS };

/** Reads the parts of one logical SAF-T file (one file, or a split set in part order). */
export async function* readSaftParts(parts: SaftPart[], limits: SaftReadLimits = SAFT_READ_LIMITS): AsyncGenerator<LedgerEvent[]> {
  const reader = new SaftSetReader(parts, limits);
  yield* reader.run();
}

class SaftSetReader {
  private queue: LedgerEvent[] = [];
  private queuedVouchers = 0;
  private header: FileHeader | null = null;
  private headerLocation: SourceLocation | null = null;
  private headerEmitted = false;
  private readonly detector = new LayoutDetector();
  private layout: SaftLayout | null = null;
  private conflictReported = false;

  private selectionStart: IsoDate | null = null;
  private selectionEnd: IsoDate | null = null;
  private readonly accounts = new Map<string, AccountState>();
  private allAccountsGrouped = true;
  private readonly deferredBalances: { id: string; opening: Money | null; closing: Money | null; location: SourceLocation }[] = [];
  private readonly movements = new AccountMovements();
  private readonly parties = new Map<string, { part: number; hash: number }>();
  private readonly dimensionTypes = new Map<string, string>();
  private readonly claimedTypes = new Map<string, string>();
  private readonly dimensions = new Map<string, { part: number; hash: number }>();
  private readonly taxCodes = new Map<string, string>();
  private pendingTax = new Map<string, { row: TaxCodeRow; effective: string; expires: string | null; location: SourceLocation }[]>();
  private readonly journals = new Set<string>();
  /** Journal and TransactionID of every transaction read: SAF-T allows each pair once. */
  private readonly voucherKeys = new VoucherIdSet('\u0000');
  private readonly accountRefs = new Map<string, RefUse>();
  /** Control accounts of customers and suppliers, and whether a balance of theirs is not zero. */
  private readonly controlRefs = new Map<string, RefUse & { posted: boolean }>();
  private readonly partyRefs = new Map<string, RefUse>();
  private readonly dimensionRefs = new Map<string, RefUse>();
  private readonly skippedSections = new Set<string>();
  private minDate: IsoDate | null = null;
  private maxDate: IsoDate | null = null;
  private readonly partStates: PartState[] = [];

  /** The encoding the first part's text was decoded with, for the header. */
  private readonly textInfo: PartTextInfo = { encoding: null };

  constructor(
    private readonly parts: SaftPart[],
    private readonly limits: SaftReadLimits,
  ) {}

  async *run(): AsyncGenerator<LedgerEvent[]> {
    for (let i = 0; i < this.parts.length; i++) {
      yield* this.readPart(this.parts[i]!, i);
    }
    this.finish();
    if (this.layout === null) this.decideByFallback();
    const last = this.flush();
    if (last.length > 0) yield last;
  }

  // ---------------------------------------------------------------- streaming

  private async *readPart(part: SaftPart, index: number): AsyncGenerator<LedgerEvent[]> {
    const file = part.name;
    const state: PartState = { index, name: file, declared: {}, stated: new Set(), actual: emptyTotals(), hasGl: false };
    this.partStates.push(state);
    const path: string[] = [];
    const cap: XNode[] = [];
    let skip = 0;
    let skipName = '';
    let skipLine = 0;
    let ns: string | null = null;
    let sawHeader = false;
    let journal: JournalCtx | null = null;

    const text = (t: string) => {
      // Text of a parent (the indentation before its first child) is never used.
      if (cap.length > 0) {
        const top = cap[cap.length - 1]!;
        if (top.children === null) top.text += t;
      }
    };

    const open = (uri: string, local: string, name: string, attributes: XmlAttribute[] | null, line: number) => {
      if (skip > 0) {
        skip++;
        return;
      }
      const key = uri === ns ? local : `{${uri}}${local}`;
      if (cap.length > 0) {
        const n = recordNode(key, line, attributes);
        const parent = cap[cap.length - 1]!;
        (parent.children ??= []).push(n);
        cap.push(n);
        return;
      }
      const top = path[path.length - 1];
      if (top === undefined) {
        ns = this.checkRoot(uri, local, name, file, line);
        path.push('AuditFile');
        return;
      }
      // No closures here: tsx names every one it creates, which costs more than the work.
      switch (top) {
        case 'AuditFile':
          if (key === 'Header') {
            sawHeader = true;
            cap.push(recordNode(key, line, attributes));
          } else {
            if (!sawHeader) {
              throw new FileFormatError(`${file} line ${line}: <AuditFile> has no <Header> before <${local}>: this is not a complete SAF-T file, export it again.`, { file, line });
            }
            if (key === 'MasterFiles') path.push(key);
            else if (key === 'GeneralLedgerEntries') {
              path.push(key);
              state.hasGl = true;
            } else {
              [skip, skipName, skipLine] = [1, key, line];
              this.sectionSkipped(key, key === 'SourceDocuments' ? 'is not in use in SAF-T Financial 1.x' : 'is not a SAF-T 1.30 section', file, line);
            }
          }
          return;
        case 'MasterFiles':
          if (MASTER_SECTIONS[key] !== undefined) path.push(key);
          else {
            [skip, skipName, skipLine] = [1, `MasterFiles/${key}`, line];
            this.sectionSkipped(skipName, MASTER_SKIPPED.has(key) ? 'has no table in the warehouse' : 'is not a SAF-T 1.30 section', file, line);
          }
          return;
        case 'GeneralLedgerEntries':
          if (key === 'Journal') {
            path.push(key);
            journal = { id: null, description: null, type: null, line, emitted: false, extra: null };
          } else cap.push(recordNode(key, line, attributes));
          return;
        default:
          cap.push(recordNode(key, line, attributes));
      }
    };

    const close = () => {
      if (skip > 0) {
        skip--;
        return;
      }
      if (cap.length > 0) {
        const n = cap.pop()!;
        if (n.children !== null) n.text = '';
        if (cap.length === 0) {
          const parent = path[path.length - 1]!;
          if (parent === 'Journal') {
            if (n.name === 'Transaction') this.transaction(n, journal!, state);
            else this.journalField(n, journal!, file);
          } else this.record(parent, n, state, index);
        }
        return;
      }
      const name = path.pop();
      if (name === 'Journal' && journal !== null) {
        this.emitJournal(journal, file);
        journal = null;
      } else if (name === 'TaxTable') this.flushTaxTable();
    };

    const scanner = new XmlScanner({ open, text, close }, { maxConstructChars: this.limits.maxConstructChars });
    const notWellFormed = (e: unknown) => {
      if (!(e instanceof XmlSyntaxError)) return e;
      if (e.kind === 'limit') return new FileFormatError(`${file} line ${e.line}: ${e.message}, so the file is refused as damaged or hostile.`, { file, line: e.line }, { cause: e });
      return new FileFormatError(`${file} line ${e.line}: the XML is not well-formed (${e.message}): the file is damaged, export it again.`, { file, line: e.line }, { cause: e });
    };
    try {
      for await (const chunk of readPartText(part, this.limits, index === 0 ? this.textInfo : { encoding: null })) {
        // Events leave after every chunk (64 Ki characters at most): the fewer held at
        // once, the fewer the GC finds alive (GC time 0.7-1.2 s -> ~0.5 s on a 199 MB file).
        scanner.write(chunk);
        if (this.canFlush()) yield this.flush();
      }
    } catch (e) {
      throw notWellFormed(e);
    }
    if (path.length > 0 || cap.length > 0 || skip > 0) {
      const lastLine = scanner.line;
      const record = cap[0];
      const inside = record !== undefined ? record : null;
      const where = inside !== null
        ? `<${inside.name}> (opened at line ${inside.line})`
        : skip > 0
          ? `<${skipName.split('/').pop()}> (opened at line ${skipLine})`
          : `<${path[path.length - 1]}>`;
      throw new FileFormatError(
        `${file} line ${lastLine}: the XML ends inside ${where}: the file is incomplete, export it again.`,
        { file, line: lastLine, path: [...path, ...cap.map((c) => c.name)].join('/') },
      );
    }
    if (ns === null) {
      throw new FileFormatError(`${file}: the file contains no XML element: it is not a SAF-T file, export it again.`, { file });
    }
    try {
      scanner.end();
    } catch (e) {
      throw notWellFormed(e);
    }
  }

  private sectionSkipped(what: string, why: string, file: string, line: number): void {
    if (this.skippedSections.has(what)) return;
    this.skippedSections.add(what);
    this.issue('warning', 'section_skipped', `${what} ${why} and is not imported; the rest of the file is read.`, { file, line, path: what });
  }

  private checkRoot(uri: string, local: string, name: string, file: string, line: number): string {
    if (local !== 'AuditFile') {
      throw new FileFormatError(`${file} line ${line}: the root element is <${name}>, not <AuditFile>: this is not a SAF-T Financial file.`, { file, line });
    }
    if (uri === '') {
      this.issue('warning', 'no_namespace', `<AuditFile> and its elements are in no XML namespace (expected ${SAFT_NS}); read as SAF-T Financial Norway anyway, but the file does not validate against the official schema.`, { file, line, path: 'AuditFile' });
      return '';
    }
    if (uri !== SAFT_NS) {
      throw new FileFormatError(
        `${file} line ${line}: <AuditFile> is in the namespace "${uri}", not ${SAFT_NS}: this is not a Norwegian SAF-T Financial file (OECD, Danish and other SAF-T variants are different formats).`,
        { file, line },
      );
    }
    return uri;
  }

  // ---------------------------------------------------------------- flushing and layout

  private canFlush(): boolean {
    if (this.header === null) return false;
    if (this.layout === null) {
      if (this.detector.layout !== null) this.layout = this.detector.layout;
      else if (this.queuedVouchers >= LAYOUT_BUFFER || this.queue.length >= LAYOUT_BUFFER * 4) this.decideByFallback();
    }
    return this.layout !== null && this.queue.length > 0;
  }

  private decideByFallback(): void {
    this.layout = this.detector.layout ?? LayoutDetector.fallback(this.header?.declared_version ?? null, this.accounts.size > 0 && this.allAccountsGrouped);
  }

  /** The events queued so far, the header first; the queue starts over. */
  private flush(): LedgerEvent[] {
    if (this.header === null) return [];
    const q = this.queue;
    this.queue = [];
    this.queuedVouchers = 0;
    if (!this.headerEmitted) {
      this.headerEmitted = true;
      this.header.format_version = this.layout!;
      q.unshift({ kind: 'header', header: this.header, location: this.headerLocation! });
    }
    return q;
  }

  private see(parent: string, n: XNode): void {
    const kids = n.children;
    if (kids === null) return;
    for (const k of kids) this.detector.see(parent, k.name, k.line);
    if (this.detector.conflict !== null && !this.conflictReported) {
      this.conflictReported = true;
      const c = this.detector.conflict;
      this.issue(
        'warning',
        'mixed_layout',
        `${c.evidence} belongs to a different SAF-T layout than ${this.detector.evidence} seen earlier; the file mixes 1.20 and 1.30 elements and will not validate against either schema.`,
        { file: this.currentFile(), line: c.line },
      );
    }
  }

  private currentFile(): string {
    return this.partStates[this.partStates.length - 1]?.name ?? '';
  }

  // ---------------------------------------------------------------- issues

  /** Every issue goes out: the import keeps them all, and only what is printed is capped. */
  private issue(severity: 'error' | 'warning', code: string, message: string, location: SourceLocation): void {
    this.queue.push({ kind: 'issue', issue: { severity, code, message: `${describeLocation(location)}: ${message}`, location } });
  }

  /** `location` may be a function so the hot path builds no location objects unless it fails. */
  private money(n: XNode | undefined, location: SourceLocation | (() => SourceLocation), consequence: string): Money | null {
    const t = textOf(n);
    const v = t === null ? null : parseSaftMoney(t);
    if (v === null) {
      this.issue(
        'error',
        'malformed_amount',
        `${t === null ? 'the amount is empty' : `"${t.slice(0, 40)}" is not a SAF-T amount (a decimal with at most 2 decimals, like 1234.50)`}; ${consequence}.`,
        typeof location === 'function' ? location() : location,
      );
    }
    return v;
  }

  private date(n: XNode | undefined, location: SourceLocation | (() => SourceLocation), consequence: string): IsoDate | null {
    const t = textOf(n);
    const v = t === null ? null : parseIsoDate(t);
    if (v === null) {
      this.issue(
        'error',
        'malformed_date',
        `${t === null ? 'the date is empty' : `"${t.slice(0, 40)}" is not a date (YYYY-MM-DD)`}; ${consequence}.`,
        typeof location === 'function' ? location() : location,
      );
    }
    return v;
  }

  // ---------------------------------------------------------------- records

  private record(parent: string, n: XNode, part: PartState, partIndex: number): void {
    const file = part.name;
    const expected = parent === 'AuditFile' ? 'Header' : MASTER_SECTIONS[parent];
    if (parent === 'GeneralLedgerEntries') {
      this.glField(n, part);
      return;
    }
    if (expected !== n.name) {
      this.issue('warning', 'unknown_element', `<${n.name}> is not a SAF-T element here and is not imported.`, { file, line: n.line, path: `${parent}/${n.name}` });
      return;
    }
    switch (n.name) {
      case 'Header':
        this.headerRecord(n, file);
        break;
      case 'Account':
        this.account(n, file, partIndex);
        break;
      case 'Customer':
        this.party(n, 'customer', file, partIndex);
        break;
      case 'Supplier':
        this.party(n, 'supplier', file, partIndex);
        break;
      case 'TaxTableEntry':
        this.taxEntry(n, file);
        break;
      case 'AnalysisTypeTableEntry':
        this.dimension(n, file, partIndex);
        break;
    }
  }

  private headerRecord(n: XNode, file: string): void {
    const location: SourceLocation = { file, line: n.line, path: 'Header' };
    const company = child(n, 'Company');
    const orgNumber = company ? childText(company, 'RegistrationNumber') : null;
    if (this.header !== null) {
      // Later parts of a split set repeat the header; it must describe the same company.
      if (orgNumber !== this.header.organization.org_number) {
        this.issue('error', 'split_set_mismatch', `this part is for organisation ${orgNumber ?? '(none)'} but the first part is for ${this.header.organization.org_number ?? '(none)'}: these files are not one split SAF-T set.`, location);
      }
      return;
    }
    const unknown = (n.children ?? []).filter((k) => !HEADER_KNOWN.has(k.name)).map((k) => k.name);
    if (unknown.length > 0) {
      this.issue('warning', 'unknown_element', `Header elements ${unknown.map((u) => `<${u}>`).join(', ')} are not part of SAF-T 1.30; they are kept in organization.extra.`, location);
    }
    const countryText = childText(n, 'AuditFileCountry');
    let country: Country | null = null;
    if (countryText !== null && COUNTRIES.has(countryText.toUpperCase() as Country)) country = countryText.toUpperCase() as Country;
    else {
      this.issue('warning', 'unexpected_country', `AuditFileCountry is "${countryText ?? ''}", not NO; the country is left empty.`, { ...location, path: 'Header/AuditFileCountry' });
    }
    let currency = childText(n, 'DefaultCurrencyCode');
    if (currency === null) {
      this.issue('warning', 'missing_currency', 'Header has no DefaultCurrencyCode; NOK is assumed.', location);
      currency = 'NOK';
    }
    const sel = child(n, 'SelectionCriteria');
    if (sel) this.selection(sel, file);
    else this.issue('warning', 'no_selection_period', 'Header has no SelectionCriteria, so the period the file covers is not stated; balances are dated by the transactions.', location);
    const fiscal = this.selectionStart !== null && this.selectionEnd !== null && isTwelveMonths(this.selectionStart, this.selectionEnd)
      ? [{
          start_date: this.selectionStart,
          end_date: this.selectionEnd,
          label: fiscalYearLabel(this.selectionStart, this.selectionEnd),
          is_closed: false,
        }]
      : [];
    const software = ['SoftwareCompanyName', 'SoftwareID', 'SoftwareVersion'].map((k) => childText(n, k)).filter((s): s is string => s !== null);
    this.header = {
      format: 'saft',
      format_version: 'saft-1.20',
      declared_version: childText(n, 'AuditFileVersion'),
      encoding: this.textInfo.encoding ?? 'utf-8',
      software: software.length > 0 ? software.join(' ') : null,
      organization: {
        name: (company ? childText(company, 'Name') : null) ?? '',
        country,
        org_number: orgNumber,
        base_currency: currency,
        source_company_ref: orgNumber,
      },
      selection_start: this.selectionStart,
      selection_end: this.selectionEnd,
      fiscal_years: fiscal,
      // The whole header: addresses, contacts, the exporting software, unknown elements.
      extra: toJson(n) as Record<string, unknown>,
    };
    this.headerLocation = location;
  }

  private selection(sel: XNode, file: string): void {
    const loc = (name: string, line: number): SourceLocation => ({ file, line, path: `Header/SelectionCriteria/${name}` });
    const startDate = child(sel, 'SelectionStartDate');
    const endDate = child(sel, 'SelectionEndDate');
    if (startDate || endDate) {
      this.selectionStart = startDate ? this.date(startDate, loc('SelectionStartDate', startDate.line), 'the selection start is unknown') : null;
      this.selectionEnd = endDate ? this.date(endDate, loc('SelectionEndDate', endDate.line), 'the selection end is unknown') : null;
      return;
    }
    const num = (name: string): number | null => {
      const node = child(sel, name);
      const t = textOf(node);
      if (t === null) return null;
      if (!/^\d+$/.test(t)) {
        this.issue('error', 'malformed_date', `"${t}" is not a period number.`, loc(name, node!.line));
        return null;
      }
      return Number(t);
    };
    const ps = num('PeriodStart');
    const psy = num('PeriodStartYear');
    const pe = num('PeriodEnd');
    const pey = num('PeriodEndYear');
    // Period numbers are read as calendar months; 0 (opening) and 13+ (closing) periods clamp.
    const month = (p: number) => Math.min(12, Math.max(1, p));
    if (ps !== null && psy !== null) this.selectionStart = firstDayOfMonth(psy, month(ps));
    if (pe !== null && pey !== null) this.selectionEnd = lastDayOfMonth(pey, month(pe));
  }

  private balance(n: XNode, side: 'Opening' | 'Closing', location: SourceLocation, what: string): Money | null {
    const debit = child(n, `${side}DebitBalance`);
    const credit = child(n, `${side}CreditBalance`);
    if (debit === undefined && credit === undefined) {
      this.issue('error', 'missing_balance', `${what} has no ${side}DebitBalance or ${side}CreditBalance; its ${side.toLowerCase()} balance is unknown.`, location);
      return null;
    }
    let v = 0n;
    if (debit !== undefined) {
      const d = this.money(debit, { ...location, line: debit.line, path: `${location.path}/${debit.name}` }, `the ${side.toLowerCase()} balance of ${what} is unknown`);
      if (d === null) return null;
      v += d;
    }
    if (credit !== undefined) {
      const c = this.money(credit, { ...location, line: credit.line, path: `${location.path}/${credit.name}` }, `the ${side.toLowerCase()} balance of ${what} is unknown`);
      if (c === null) return null;
      v -= c;
    }
    return v;
  }

  private account(n: XNode, file: string, partIndex: number): void {
    this.see('Account', n);
    const id = childText(n, 'AccountID');
    const location: SourceLocation = { file, line: n.line, path: `MasterFiles/GeneralLedgerAccounts/Account[${id ?? '?'}]` };
    if (id === null) {
      this.issue('error', 'missing_field', 'an Account has no AccountID and is not imported.', location);
      return;
    }
    const row: AccountRow = {
      account_id: id,
      name: childText(n, 'AccountDescription') ?? '',
      account_type: null,
      standard_account_id: childText(n, 'StandardAccountID'),
      grouping_category: childText(n, 'GroupingCategory'),
      grouping_code: childText(n, 'GroupingCode'),
      default_vat_code: null,
      is_active: true,
      extra: restJson(n, ACCOUNT_MAPPED),
    };
    if (row.grouping_category === null || row.grouping_code === null) this.allAccountsGrouped = false;
    const opening = this.balance(n, 'Opening', location, `account ${id}`);
    const closing = this.balance(n, 'Closing', location, `account ${id}`);
    const fingerprint = JSON.stringify([row, String(opening), String(closing)]);
    const prev = this.accounts.get(id);
    if (prev !== undefined) {
      // A split set may repeat MasterFiles in every part; an identical repeat is no duplicate.
      if (prev.part !== partIndex && prev.fingerprint === fingerprint) return;
      this.issue('error', 'duplicate_account', `AccountID ${id} occurs more than once in MasterFiles (first at ${describeLocation(prev.location)}); with --force only the first is imported.`, location);
      return;
    }
    this.accounts.set(id, { opening, closing, part: partIndex, fingerprint, location });
    this.queue.push({ kind: 'account', row, location });
    if (this.selectionStart !== null && this.selectionEnd !== null) this.pushBalances(id, opening, closing, location, this.selectionStart, this.selectionEnd);
    else this.deferredBalances.push({ id, opening, closing, location });
  }

  private pushBalances(id: string, opening: Money | null, closing: Money | null, location: SourceLocation, start: IsoDate, end: IsoDate): void {
    if (opening !== null) {
      this.queue.push({ kind: 'balance', row: { account_id: id, balance_type: 'opening', as_of: start, dimension_type: null, dimension_id: null, amount: opening }, location });
    }
    if (closing !== null) {
      this.queue.push({ kind: 'balance', row: { account_id: id, balance_type: 'closing', as_of: end, dimension_type: null, dimension_id: null, amount: closing }, location });
    }
  }

  private party(n: XNode, type: PartyType, file: string, partIndex: number): void {
    const elem = type === 'customer' ? 'Customer' : 'Supplier';
    this.see(elem, n);
    const id = childText(n, `${elem}ID`);
    const location: SourceLocation = { file, line: n.line, path: `MasterFiles/${elem}s/${elem}[${id ?? '?'}]` };
    if (id === null) {
      this.issue('error', 'missing_field', `a ${elem} has no ${elem}ID and is not imported.`, location);
      return;
    }
    // 1.20 keeps one control account and its balances on the party; 1.30 has BalanceAccount
    // elements. Both become `balance_accounts` with signed decimal strings.
    const balances: { account_id: string | null; opening: string | null; closing: string | null }[] = [];
    const addBalance = (holder: XNode, path: string) => {
      const accountId = childText(holder, 'AccountID');
      const loc = { ...location, line: holder.line, path };
      const opening = this.balance(holder, 'Opening', loc, `${elem} ${id}`);
      const closing = this.balance(holder, 'Closing', loc, `${elem} ${id}`);
      balances.push({ account_id: accountId, opening: opening === null ? null : formatMoney(opening), closing: closing === null ? null : formatMoney(closing) });
      if (accountId !== null) {
        const posted = (opening !== null && opening !== 0n) || (closing !== null && closing !== 0n);
        const ref = this.controlRefs.get(accountId);
        if (ref === undefined) this.controlRefs.set(accountId, { count: 1, location: loc, what: `${elem} ${id}`, posted });
        else {
          ref.count++;
          ref.posted ||= posted;
        }
      }
    };
    if (child(n, 'AccountID') || child(n, 'OpeningDebitBalance') || child(n, 'OpeningCreditBalance')) addBalance(n, location.path!);
    for (const b of childrenNamed(n, 'BalanceAccount')) addBalance(b, `${location.path}/BalanceAccount`);
    const extra = restJson(n, PARTY_MAPPED) ?? {};
    if (balances.length > 0) extra.balance_accounts = balances;
    let country: string | null = null;
    for (const a of childrenNamed(n, 'Address')) {
      country = childText(a, 'Country');
      if (country !== null) break;
    }
    const row: PartyRow = {
      party_type: type,
      party_id: id,
      name: childText(n, 'Name') ?? '',
      org_number: childText(n, 'RegistrationNumber'),
      country,
      extra: Object.keys(extra).length > 0 ? extra : null,
    };
    const key = `${type}\u0000${id}`;
    const hash = fnv1a(JSON.stringify(row));
    const prev = this.parties.get(key);
    if (prev !== undefined) {
      if (prev.part !== partIndex && prev.hash === hash) return;
      this.issue('error', 'duplicate_party', `${elem}ID ${id} occurs more than once in MasterFiles; with --force only the first is imported.`, location);
      return;
    }
    this.parties.set(key, { part: partIndex, hash });
    this.queue.push({ kind: 'party', row, location });
  }

  private taxEntry(n: XNode, file: string): void {
    for (const d of childrenNamed(n, 'TaxCodeDetails')) {
      const code = childText(d, 'TaxCode');
      const location: SourceLocation = { file, line: d.line, path: `MasterFiles/TaxTable/TaxTableEntry/TaxCodeDetails[${code ?? '?'}]` };
      if (code === null) {
        this.issue('error', 'missing_field', 'a TaxCodeDetails has no TaxCode and is not imported.', location);
        continue;
      }
      const pctText = childText(d, 'TaxPercentage');
      let rate: string | null = null;
      if (pctText !== null) {
        rate = normaliseDecimal(pctText);
        if (rate === null) this.issue('error', 'malformed_amount', `TaxPercentage "${pctText}" of tax code ${code} is not a decimal number.`, location);
      }
      const row: TaxCodeRow = { tax_code: code, description: childText(d, 'Description'), rate, standard_tax_code: childText(d, 'StandardTaxCode') };
      const list = this.pendingTax.get(code) ?? [];
      list.push({ row, effective: childText(d, 'EffectiveDate') ?? '', expires: childText(d, 'ExpirationDate'), location });
      this.pendingTax.set(code, list);
    }
  }

  /**
   * One row per TaxCode: a code listed with several validity periods (Tøyen's code 3 at 14 %
   * until 2007 and 15 % since 2008) becomes its current version, since TaxCodeRow has no dates.
   */
  private flushTaxTable(): void {
    for (const [code, versions] of this.pendingTax) {
      const best = [...versions].sort((a, b) => {
        if ((a.expires === null) !== (b.expires === null)) return a.expires === null ? -1 : 1;
        return b.effective.localeCompare(a.effective);
      })[0]!;
      const sameValidity = versions.filter((v) => v.effective === best.effective && v.expires === best.expires);
      if (sameValidity.length > 1) {
        this.issue('warning', 'duplicate_tax_code', `TaxCode ${code} is listed ${sameValidity.length} times for the same period; the first is imported.`, sameValidity[1]!.location);
      }
      const fp = JSON.stringify(best.row);
      const prev = this.taxCodes.get(code);
      if (prev !== undefined) {
        if (prev !== fp) this.issue('warning', 'duplicate_tax_code', `TaxCode ${code} is defined differently in another part of the set; the first definition is kept.`, best.location);
        continue;
      }
      this.taxCodes.set(code, fp);
      this.queue.push({ kind: 'tax_code', row: best.row, location: best.location });
    }
    this.pendingTax = new Map();
  }

  private dimensionType(code: string, description: string | null, location: SourceLocation | null): string {
    const known = this.dimensionTypes.get(code);
    if (known !== undefined) return known;
    let type = normaliseDimensionType(code, description);
    if (!type.startsWith('saft:')) {
      const owner = this.claimedTypes.get(type);
      if (owner !== undefined && owner !== code) {
        if (location !== null) {
          this.issue('warning', 'dimension_type_clash', `AnalysisType ${code} ("${description}") and AnalysisType ${owner} both describe ${type}; ${code} is imported as saft:${code}.`, location);
        }
        type = `saft:${code}`;
      } else this.claimedTypes.set(type, code);
    }
    this.dimensionTypes.set(code, type);
    return type;
  }

  private dimension(n: XNode, file: string, partIndex: number): void {
    const code = childText(n, 'AnalysisType');
    const id = childText(n, 'AnalysisID');
    const location: SourceLocation = { file, line: n.line, path: `MasterFiles/AnalysisTypeTable/AnalysisTypeTableEntry[${code ?? '?'}/${id ?? '?'}]` };
    if (code === null || id === null) {
      this.issue('error', 'missing_field', 'an AnalysisTypeTableEntry lacks AnalysisType or AnalysisID and is not imported.', location);
      return;
    }
    const type = this.dimensionType(code, childText(n, 'AnalysisTypeDescription'), location);
    const status = childText(n, 'Status');
    const row = { dimension_type: type, dimension_id: id, name: childText(n, 'AnalysisIDDescription') ?? id, is_active: status !== 'Closed' && status !== 'Passive' };
    const key = `${code}\u0000${id}`;
    const hash = fnv1a(JSON.stringify(row));
    const prev = this.dimensions.get(key);
    if (prev !== undefined) {
      if (prev.part !== partIndex && prev.hash === hash) return;
      this.issue('error', 'duplicate_dimension', `AnalysisType ${code} with AnalysisID ${id} occurs more than once; with --force only the first is imported.`, location);
      return;
    }
    this.dimensions.set(key, { part: partIndex, hash });
    this.queue.push({ kind: 'dimension', row, location });
  }

  // ---------------------------------------------------------------- general ledger

  private glField(n: XNode, part: PartState): void {
    const location: SourceLocation = { file: part.name, line: n.line, path: `GeneralLedgerEntries/${n.name}` };
    part.declared.line ??= n.line;
    part.stated.add(n.name);
    switch (n.name) {
      case 'NumberOfEntries': {
        const t = textOf(n);
        if (t === null || !/^\d+$/.test(t)) this.issue('error', 'malformed_amount', `NumberOfEntries "${t ?? ''}" is not a whole number.`, location);
        else part.declared.entries = Number(t);
        break;
      }
      case 'TotalDebit': {
        const v = this.money(n, location, 'the control total cannot be checked');
        if (v !== null) part.declared.debit = v;
        break;
      }
      case 'TotalCredit': {
        const v = this.money(n, location, 'the control total cannot be checked');
        if (v !== null) part.declared.credit = v;
        break;
      }
      default:
        this.issue('warning', 'unknown_element', `<${n.name}> is not a SAF-T element here and is not imported.`, location);
    }
  }

  private journalField(n: XNode, j: JournalCtx, file: string): void {
    switch (n.name) {
      case 'JournalID':
        j.id = textOf(n);
        break;
      case 'Description':
        j.description = textOf(n);
        break;
      case 'Type':
        j.type = textOf(n);
        break;
      default: {
        const extra = (j.extra ??= {});
        const value = toJson(n);
        const previous = extra[n.name];
        extra[n.name] = previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value];
      }
    }
  }

  private emitJournal(j: JournalCtx, file: string): void {
    if (j.emitted) return;
    j.emitted = true;
    const location: SourceLocation = { file, line: j.line, path: `GeneralLedgerEntries/Journal[${j.id ?? '?'}]` };
    if (j.id === null) {
      this.issue('error', 'missing_field', 'a Journal has no JournalID; its transactions are filed under an empty journal id.', location);
    }
    const id = j.id ?? '';
    if (this.journals.has(id)) return;
    this.journals.add(id);
    this.queue.push({ kind: 'journal', row: { journal_id: id, name: j.description ?? id, journal_type: `saft:${j.type ?? ''}`, extra: j.extra }, location });
  }

  private refer(map: Map<string, RefUse>, key: string, location: SourceLocation | (() => SourceLocation), what: string | (() => string)): void {
    const r = map.get(key);
    if (r === undefined) {
      map.set(key, { count: 1, location: typeof location === 'function' ? location() : location, what: typeof what === 'function' ? what() : what });
    } else r.count++;
  }

  /** Signed amount of a Debit…/Credit… AmountStructure plus its currency parts. */
  private amountStructure(
    n: XNode,
    sign: 1n | -1n,
    file: string,
    path: () => string,
    consequence: string,
  ): { amount: Money | null; currency: string | null; currencyAmount: Money | null; rate: string | null; rest: Record<string, unknown> | null } {
    let amountNode: XNode | undefined;
    let currency: string | null = null;
    let caNode: XNode | undefined;
    let rate: string | null = null;
    let other = false;
    for (const k of n.children ?? []) {
      switch (k.name) {
        case 'Amount':
          amountNode = k;
          break;
        case 'CurrencyCode':
          currency = textOf(k);
          break;
        case 'CurrencyAmount':
          caNode = k;
          break;
        case 'ExchangeRate':
          rate = textOf(k);
          break;
        default:
          other = true;
      }
    }
    const amount = this.money(amountNode, () => ({ file, line: amountNode?.line ?? n.line, path: `${path()}/Amount` }), consequence);
    let currencyAmount: Money | null = null;
    if (caNode !== undefined) {
      const ca = this.money(caNode, () => ({ file, line: caNode.line, path: `${path()}/CurrencyAmount` }), 'the foreign-currency amount is left empty');
      currencyAmount = ca === null ? null : ca * sign;
    }
    return { amount: amount === null ? null : amount * sign, currency, currencyAmount, rate, rest: other ? restJson(n, AMOUNT_PARTS) : null };
  }

  private transaction(n: XNode, j: JournalCtx, part: PartState): void {
    const file = part.name;
    this.emitJournal(j, file);
    // Transaction-level markers only matter until the layout is known; skipping them later
    // keeps the per-voucher cost down.
    if (this.layout === null) this.see('Transaction', n);
    const jid = j.id ?? '';
    part.actual.entries++;
    let txId: string | null = null;
    let dateNode: XNode | undefined;
    let postingNode: XNode | undefined;
    let modifiedNode: XNode | undefined;
    let description: string | null = null;
    const extra: Record<string, unknown> = {};
    const lines: XNode[] = [];
    for (const c of n.children ?? []) {
      switch (c.name) {
        case 'TransactionID':
          txId = textOf(c);
          break;
        case 'TransactionDate':
          dateNode = c;
          break;
        case 'GLPostingDate':
          postingNode = c;
          break;
        case 'ModificationDate':
          modifiedNode = c;
          break;
        case 'Description':
          description = textOf(c);
          break;
        case 'Line':
          lines.push(c);
          break;
        default:
          addExtra(extra, c.name, VOUCHER_EXTRA.has(c.name) ? textOf(c) : toJson(c));
      }
    }
    const where = `GeneralLedgerEntries/Journal[${jid}]/Transaction[${txId ?? '?'}]`;
    const location: SourceLocation = { file, line: n.line, path: where };
    let ok = true;
    if (txId === null) {
      this.issue('error', 'missing_field', `a Transaction in journal ${jid} has no TransactionID and is not imported.`, location);
      ok = false;
    }
    const voucherDate = this.date(dateNode, () => ({ file, line: dateNode?.line ?? n.line, path: `${where}/TransactionDate` }), 'the voucher was not imported');
    if (voucherDate === null) ok = false;
    const pn = postingNode;
    const postingDate = pn === undefined ? null : this.date(pn, () => ({ file, line: pn.line, path: `${where}/GLPostingDate` }), 'the posting date is left empty');
    const mn = modifiedNode;
    const modified = mn === undefined ? null : this.date(mn, () => ({ file, line: mn.line, path: `${where}/ModificationDate` }), 'the modification date is left empty');
    if (typeof extra.SystemEntryDate === 'string') {
      const sedNode = child(n, 'SystemEntryDate')!;
      this.date(sedNode, () => ({ file, line: sedNode.line, path: `${where}/SystemEntryDate` }), 'it is kept as text');
    }

    if (lines.length === 0) {
      this.issue('error', 'empty_voucher', `journal ${jid} transaction ${txId ?? '?'} has no Line.`, location);
    }
    const out: LedgerLine[] = [];
    for (let i = 0; i < lines.length; i++) {
      const lineNo = i + 1;
      const line = this.line(lines[i]!, () => `${where}/Line[${lineNo}]`, file, jid, txId ?? '?', part);
      if (line === null) {
        ok = false;
        continue;
      }
      out.push(line);
    }
    const balance = ok ? voucherBalance(out) : null;
    if (balance !== null && balance.difference !== 0n) {
      this.issue('error', 'unbalanced_voucher', unbalancedVoucherMessage(`journal ${jid} transaction ${txId}`, balance, 'sides'), location);
    }
    if (!ok) return;
    if (!this.voucherKeys.add('', jid, txId!)) this.issue('error', 'duplicate_voucher', `journal ${jid} has TransactionID ${txId} more than once.`, location);
    if (this.selectionStart !== null && this.selectionEnd !== null && (voucherDate! < this.selectionStart || voucherDate! > this.selectionEnd)) {
      this.issue('warning', 'date_outside_selection', `journal ${jid} transaction ${txId} is dated ${voucherDate}, outside the selection ${this.selectionStart}..${this.selectionEnd}.`, location);
    }
    if (this.minDate === null || voucherDate! < this.minDate) this.minDate = voucherDate;
    if (this.maxDate === null || voucherDate! > this.maxDate) this.maxDate = voucherDate;
    const voucher: Voucher = {
      journal_id: jid,
      voucher_number: txId!,
      voucher_date: voucherDate!,
      posting_date: postingDate,
      description,
      source_modified_at: modified,
      extra: Object.keys(extra).length > 0 ? extra : null,
      lines: out,
    };
    this.queue.push({ kind: 'voucher', voucher, location });
    this.queuedVouchers++;
  }

  /** One Line; `null` when its amount is missing or malformed (the voucher is then skipped). */
  private line(n: XNode, where: () => string, file: string, jid: string, txId: string, part: PartState): LedgerLine | null {
    let accountNode: XNode | undefined;
    let customer: string | null = null;
    let supplier: string | null = null;
    let description: string | null = null;
    let amountNode: XNode | undefined;
    let sign: 1n | -1n = 1n;
    let sides = 0;
    const analyses: XNode[] = [];
    const taxes: XNode[] = [];
    const extra: Record<string, unknown> = {};
    for (const c of n.children ?? []) {
      switch (c.name) {
        case 'AccountID':
          accountNode = c;
          break;
        case 'CustomerID':
          customer = textOf(c);
          break;
        case 'SupplierID':
          supplier = textOf(c);
          break;
        case 'Description':
          description = textOf(c);
          break;
        case 'DebitAmount':
          amountNode = c;
          sign = 1n;
          sides++;
          break;
        case 'CreditAmount':
          amountNode = c;
          sign = -1n;
          sides++;
          break;
        case 'Analysis':
          analyses.push(c);
          break;
        case 'TaxInformation':
          taxes.push(c);
          break;
        default:
          if (LINE_EXTRA.has(c.name)) {
            const t = textOf(c);
            addExtra(extra, c.name, t);
            if (LINE_DATES.has(c.name) && t !== null) this.date(c, () => ({ file, line: c.line, path: `${where()}/${c.name}` }), 'it is kept as text');
          } else addExtra(extra, c.name, toJson(c));
      }
    }
    const location = lineLocation(file, n, where);
    const account = textOf(accountNode);
    if (account === null) {
      this.issue('error', 'missing_field', `a line of journal ${jid} transaction ${txId} has no AccountID; the voucher was not imported.`, location());
      return null;
    }
    if (amountNode === undefined || sides > 1) {
      this.issue('error', 'malformed_amount', `a line of journal ${jid} transaction ${txId} has ${sides === 0 ? 'neither DebitAmount nor CreditAmount' : 'both DebitAmount and CreditAmount'}; the voucher was not imported.`, location());
      return null;
    }
    const amountName = amountNode.name;
    const amt = this.amountStructure(amountNode, sign, file, () => `${where()}/${amountName}`, 'the voucher was not imported');
    if (amt.amount === null) return null;
    if (sign === 1n) part.actual.debit += amt.amount;
    else part.actual.credit -= amt.amount;
    if (amt.rate !== null) extra.ExchangeRate = amt.rate;
    if (amt.rest !== null) extra[amountNode.name] = amt.rest;

    this.refer(this.accountRefs, account, location, () => `journal ${jid} transaction ${txId}`);
    this.movements.add(account, amt.amount);

    let partyType: PartyType | null = null;
    let partyId: string | null = null;
    if (customer !== null && supplier !== null) {
      this.issue('error', 'customer_and_supplier', `a line of journal ${jid} transaction ${txId} has both CustomerID ${customer} and SupplierID ${supplier}; SAF-T allows one (with --force the customer is kept and the supplier goes to the line's extra).`, location());
      extra.SupplierID = supplier;
    }
    if (customer !== null) [partyType, partyId] = ['customer', customer];
    else if (supplier !== null) [partyType, partyId] = ['supplier', supplier];
    if (partyType !== null) this.refer(this.partyRefs, `${partyType}\u0000${partyId}`, location, () => `journal ${jid} transaction ${txId}`);

    const dimensions: LineDimension[] = [];
    const analysisAmounts: Record<string, unknown>[] = [];
    for (const a of analyses) {
      this.see('Analysis', a);
      const code = childText(a, 'AnalysisType');
      const id = childText(a, 'AnalysisID');
      if (code === null || id === null) {
        this.issue('error', 'missing_field', `an Analysis of journal ${jid} transaction ${txId} lacks AnalysisType or AnalysisID and is ignored.`, { file, line: a.line, path: `${where()}/Analysis` });
        continue;
      }
      const dimensionType = this.dimensionType(code, null, null);
      dimensions.push({ dimension_type: dimensionType, dimension_id: id });
      this.refer(this.dimensionRefs, `${code}\u0000${id}`, () => ({ file, line: a.line, path: `${where()}/Analysis` }), () => `journal ${jid} transaction ${txId}`);
      const amountElem = child(a, 'DebitAnalysisAmount') ?? child(a, 'CreditAnalysisAmount') ?? child(a, 'AnalysisAmount');
      const rest = a.children !== null && a.children.length > 3 ? restJson(a, ANALYSIS_MAPPED) : null;
      if (amountElem === undefined && rest === null) continue;
      const entry: Record<string, unknown> = { AnalysisType: code, AnalysisID: id, dimension_type: dimensionType, ...(rest ?? {}) };
      if (amountElem !== undefined) {
        // ≤1.20 AnalysisAmount has no side of its own: it takes the line's.
        const s: 1n | -1n = amountElem.name === 'DebitAnalysisAmount' ? 1n : amountElem.name === 'CreditAnalysisAmount' ? -1n : sign;
        Object.assign(entry, this.normalAmount(amountElem, s, file, () => `${where()}/Analysis/${amountElem.name}`));
      }
      analysisAmounts.push(entry);
    }
    if (analysisAmounts.length > 0) extra.analysis_amounts = analysisAmounts;

    let vatCode: string | null = null;
    const taxInfo: Record<string, unknown>[] = [];
    for (const t of taxes) {
      this.see('TaxInformation', t);
      const code = childText(t, 'TaxCode');
      vatCode ??= code;
      const amountElem = child(t, 'DebitTaxAmount') ?? child(t, 'CreditTaxAmount') ?? child(t, 'TaxAmount');
      const entry: Record<string, unknown> = restJson(t, TAX_AMOUNTS) ?? {};
      if (amountElem !== undefined) {
        const s: 1n | -1n = amountElem.name === 'DebitTaxAmount' ? 1n : amountElem.name === 'CreditTaxAmount' ? -1n : sign;
        Object.assign(entry, this.normalAmount(amountElem, s, file, () => `${where()}/TaxInformation/${amountElem.name}`));
      }
      taxInfo.push(entry);
    }
    if (taxInfo.length > 0) extra.TaxInformation = taxInfo;

    return {
      account_id: account,
      amount: amt.amount,
      currency: amt.currency,
      currency_amount: amt.currencyAmount,
      vat_code: vatCode,
      description,
      party_type: partyType,
      party_id: partyId,
      dimensions,
      extra: Object.keys(extra).length > 0 ? extra : null,
    };
  }

  /** A tax or analysis AmountStructure as JSON: signed `amount` text plus currency parts. */
  private normalAmount(n: XNode, sign: 1n | -1n, file: string, path: () => string): Record<string, unknown> {
    const a = this.amountStructure(n, sign, file, path, 'it is kept as text');
    const out: Record<string, unknown> = {};
    out.amount = a.amount === null ? textOf(child(n, 'Amount')) : formatMoney(a.amount);
    if (a.currency !== null) out.currency_code = a.currency;
    if (a.currencyAmount !== null) out.currency_amount = formatMoney(a.currencyAmount);
    if (a.rate !== null) out.exchange_rate = a.rate;
    if (a.rest !== null) Object.assign(out, a.rest);
    return out;
  }

  // ---------------------------------------------------------------- end of set

  private finish(): void {
    const last = this.partStates[this.partStates.length - 1];
    const endLoc: SourceLocation = { file: last?.name ?? '' };
    if (this.header === null) {
      throw new FileFormatError(`${endLoc.file}: the file has no SAF-T <Header>: export it again.`, endLoc);
    }
    this.checkSplitSet();
    if (this.deferredBalances.length > 0) {
      const start = this.selectionStart ?? this.minDate;
      const end = this.selectionEnd ?? this.maxDate;
      if (start !== null && end !== null) {
        for (const b of this.deferredBalances) this.pushBalances(b.id, b.opening, b.closing, b.location, start, end);
      } else {
        this.issue('warning', 'no_selection_period', 'the file states no selection period and has no transactions, so the account balances cannot be dated and are not imported.', endLoc);
      }
    }
    for (const [id, ref] of this.accountRefs) {
      if (this.accounts.has(id)) continue;
      this.issue('error', 'unknown_account', `AccountID ${id} is used by ${ref.count} line(s) or balance(s) (first: ${ref.what}) but is not in MasterFiles/GeneralLedgerAccounts.`, ref.location);
    }
    for (const [id, ref] of this.controlRefs) {
      if (this.accounts.has(id) || this.accountRefs.has(id)) continue;
      // Older official files name a control account their chart lacks; harmless while
      // nothing is posted to it, an error once the subledger holds money on it.
      const others = ref.count > 1 ? ` and ${ref.count - 1} other customer(s)/supplier(s)` : '';
      if (ref.posted) {
        this.issue('error', 'unknown_account', `AccountID ${id} is the control account of ${ref.what}${others}, whose balances on it are not zero, but it is not in MasterFiles/GeneralLedgerAccounts.`, ref.location);
      } else {
        this.issue('warning', 'unknown_control_account', `AccountID ${id} is the control account of ${ref.what}${others} but is not in MasterFiles/GeneralLedgerAccounts; nothing is posted to it, so the file is read without it.`, ref.location);
      }
    }
    for (const [key, ref] of this.partyRefs) {
      if (this.parties.has(key)) continue;
      const [type, id] = key.split('\u0000') as [PartyType, string];
      const elem = type === 'customer' ? 'Customer' : 'Supplier';
      this.issue('error', 'unknown_party', `${elem}ID ${id} is used by ${ref.count} line(s) (first: ${ref.what}) but is not in MasterFiles/${elem}s.`, ref.location);
    }
    for (const [key, ref] of this.dimensionRefs) {
      if (this.dimensions.has(key)) continue;
      const [code, id] = key.split('\u0000') as [string, string];
      this.issue('warning', 'unknown_dimension', `AnalysisType ${code} with AnalysisID ${id} is used by ${ref.count} line(s) (first: ${ref.what}) but is not in MasterFiles/AnalysisTypeTable.`, ref.location);
    }
    let openingSum = 0n;
    let closingSum = 0n;
    let complete = true;
    for (const [id, a] of this.accounts) {
      if (a.opening === null || a.closing === null) {
        complete = false;
        continue;
      }
      openingSum += a.opening;
      closingSum += a.closing;
      const moved = this.movements.of(id);
      const mismatch = closingMismatch(a.opening, moved, a.closing);
      if (mismatch !== null) {
        this.issue(
          'warning',
          'closing_mismatch',
          `account ${id}: opening balance ${formatMoney(a.opening)} + movements ${formatMoney(moved)} = ${formatMoney(mismatch.expected)}, but the closing balance is ${formatMoney(a.closing)} (difference ${formatMoney(mismatch.difference)}).`,
          a.location,
        );
      }
    }
    if (complete && this.accounts.size > 0) {
      if (openingSum !== 0n) this.issue('warning', 'opening_not_balanced', `the opening balances of all accounts sum to ${formatMoney(openingSum)}, not 0: the chart of accounts in the file is incomplete or the balances are wrong.`, endLoc);
      if (closingSum !== 0n) this.issue('warning', 'closing_not_balanced', `the closing balances of all accounts sum to ${formatMoney(closingSum)}, not 0: the chart of accounts in the file is incomplete or the balances are wrong.`, endLoc);
    }
    this.controlTotals();
  }

  /**
   * The schema makes NumberOfEntries, TotalDebit and TotalCredit mandatory: without them a
   * file cut after a whole transaction looks complete and would delete the vouchers it lost.
   * In a split set, one part stating them for the set is enough.
   */
  private missingControlTotals(): void {
    const withGl = this.partStates.filter((p) => p.hasGl);
    if (withGl.length === 0) return;
    const lacking = (p: PartState) => CONTROL_TOTALS.filter((t) => !p.stated.has(t));
    const partial = withGl.filter((p) => p.stated.size > 0 && lacking(p).length > 0);
    const noneComplete = !withGl.some((p) => lacking(p).length === 0);
    for (const p of noneComplete ? withGl.filter((q) => q.stated.size === 0 || partial.includes(q)) : partial) {
      const missing = lacking(p);
      this.issue(
        'error',
        'missing_control_totals',
        `GeneralLedgerEntries has no ${missing.join(', ')}: SAF-T requires these control totals, and without them a file cut short cannot be told from a complete one; export the file again, or import it with --force to accept it without them.`,
        { file: p.name, line: p.declared.line, path: 'GeneralLedgerEntries' },
      );
    }
  }

  private checkSplitSet(): void {
    const numbered = this.parts.filter((p) => p.partNo !== null);
    if (numbered.length === 0) return;
    const totals = new Set(numbered.map((p) => p.partTotal));
    const have = new Set(numbered.map((p) => p.partNo));
    const total = Math.max(...numbered.map((p) => p.partTotal!));
    const missing: number[] = [];
    for (let i = 1; i <= total; i++) if (!have.has(i)) missing.push(i);
    const file = numbered[0]!.name;
    if (totals.size > 1 || missing.length > 0 || have.size < numbered.length) {
      this.issue(
        'error',
        'incomplete_split_set',
        `the file names say this is a set of ${total} part(s)${missing.length > 0 ? `, but part(s) ${missing.join(', ')} were not given` : have.size < numbered.length ? ', but a part number occurs twice' : ', but the names disagree on the total'}: give all parts of the set together.`,
        { file },
      );
    }
  }

  /**
   * One control_totals event. For a split set the declared figures may be per part or for
   * the whole set: use the sum per set when every part matches its own figures, else the set
   * level figures when one part states the set's totals, and when neither matches the figures
   * the parts agree on (or their sum) so the checker reports the mismatch.
   */
  private controlTotals(): void {
    this.missingControlTotals();
    const declared = this.partStates.filter((p) => p.hasGl && p.declared.entries !== undefined && p.declared.debit !== undefined && p.declared.credit !== undefined);
    if (declared.length === 0) return;
    const first = declared[0]!;
    const location: SourceLocation = { file: first.name, line: first.declared.line, path: 'GeneralLedgerEntries' };
    const d = (p: PartState): ControlTotals => ({ entries: p.declared.entries!, debit: p.declared.debit!, credit: p.declared.credit! });
    const same = sameTotals;
    const sum = emptyTotals();
    for (const p of declared) {
      sum.entries += p.declared.entries!;
      sum.debit += p.declared.debit!;
      sum.credit += p.declared.credit!;
    }
    const actual = emptyTotals();
    for (const p of this.partStates) {
      actual.entries += p.actual.entries;
      actual.debit += p.actual.debit;
      actual.credit += p.actual.credit;
    }
    let chosen = sum;
    if (declared.length > 1 && !(declared.every((p) => same(d(p), p.actual)) || same(sum, actual))) {
      const setLevel = declared.find((p) => same(d(p), actual));
      if (setLevel !== undefined) chosen = d(setLevel);
      else if (declared.every((p) => same(d(p), d(first)))) chosen = d(first);
    }
    this.queue.push({ kind: 'control_totals', number_of_entries: chosen.entries, total_debit: chosen.debit, total_credit: chosen.credit, location });
  }
}

const CONTROL_TOTALS = ['NumberOfEntries', 'TotalDebit', 'TotalCredit'];

function addExtra(extra: Record<string, unknown>, name: string, value: unknown): void {
  const prev = extra[name];
  if (prev === undefined) extra[name] = value;
  else if (Array.isArray(prev) && multi.has(prev)) prev.push(value);
  else {
    // Repeated elements become an array; `multi` tells those apart from a value that is one.
    const arr = [prev, value];
    multi.add(arr);
    extra[name] = arr;
  }
}
const multi = new WeakSet<unknown[]>();

/** A line's location, built only when it is needed (a named closure per line costs under tsx). */
function lineLocation(file: string, n: XNode, where: () => string): () => SourceLocation {
  return () => ({ file, line: n.line, path: where() });
}

function recordNode(name: string, line: number, attributes: XmlAttribute[] | null): XNode {
  const n = newNode(name, line);
  if (attributes !== null) n.attrs = ownAttributes(attributes);
  return n;
}

function ownAttributes(attributes: XmlAttribute[]): Record<string, string> | null {
  let out: Record<string, string> | null = null;
  for (const a of attributes) {
    if (a.uri === 'http://www.w3.org/2000/xmlns/' || a.uri === 'http://www.w3.org/2001/XMLSchema-instance') continue;
    (out ??= {})[a.name] = a.value;
  }
  return out;
}

/** 32-bit FNV-1a: cheap fingerprint for the duplicate checks on large master files. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
