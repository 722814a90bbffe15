// Streams one SIE file (types 1–4, 4E and 4I) into LedgerEvents. The file is read twice:
// once over raw bytes to pick the encoding and reject binary data, then line by line.
// Only per-account totals and the chart are kept in memory, never the vouchers.

import { FileFormatError } from '../file-format-error.ts';
import { byteSource, type ByteSource, type FileInput } from '../file-input.ts';
import { describeLocation, fiscalYearLabel, formatMoney } from '../../model/index.ts';
import { AccountMovements, closingMismatch, unbalancedVoucherMessage, voucherBalance } from '../../transform/validations/index.ts';
import { parseSieAmount } from './sie-amount.ts';
import type { AccountRow, AccountType, FiscalYearRow, ImportIssue, LedgerEvent, LedgerLine, LineDimension, SourceLocation, Voucher } from '../../model/index.ts';
import { parseChecksumField, SieChecksum } from './sie-checksum.ts';
import { parseSieDate, parseSiePeriod, shiftYears } from './sie-dates.ts';
import { createSieDecoder, encodeSieText, EncodingSniffer, findBinaryByte, singleByteTable, type SieEncoding } from './sie-decoding.ts';
import { sieDimensionType } from './sie-dimensions.ts';
import { checksumText, tokenizeSieLine, type SieField, type SieRecord } from './sie-tokenizer.ts';
import { Utf8Validator } from '../utf8-validator.ts';

const CHUNK = 1 << 20;
const MAX_LINE = 1 << 20;
/** Records read without any SIE label before the file is declared not SIE. */
const NOT_SIE_AFTER = 200;

const KNOWN_LABELS = new Set([
  '#FLAGGA', '#KSUMMA', '#PROGRAM', '#FORMAT', '#GEN', '#SIETYP', '#PROSA', '#FTYP', '#FNR', '#ORGNR',
  '#BKOD', '#ADRESS', '#FNAMN', '#RAR', '#TAXAR', '#OMFATTN', '#KPTYP', '#VALUTA', '#KONTO', '#KTYP',
  '#ENHET', '#SRU', '#DIM', '#UNDERDIM', '#OBJEKT', '#IB', '#UB', '#OIB', '#OUB', '#RES', '#PSALDO',
  '#PBUDGET', '#VER', '#TRANS', '#RTRANS', '#BTRANS',
]);
const BALANCE_LABELS = new Set(['#IB', '#UB', '#RES', '#OIB', '#OUB', '#PSALDO', '#PBUDGET']);
const ROW_LABELS = new Set(['#TRANS', '#RTRANS', '#BTRANS']);

const OBJECT_LIST = '{objektlista}';
/**
 * The mandatory fields of each record (SIE 4B §11, in the spec's words), to tell a complete
 * record from a cut one. Fields real exports leave out are not listed: #ORGNR may be empty
 * (Fortnox), #ADRESS short (Mamut), and a 4I file writes `#RAR 0` without dates.
 */
const REQUIRED_FIELDS = new Map<string, string[]>([
  ['#FLAGGA', ['x']],
  ['#PROGRAM', ['programnamn', 'version']],
  ['#FORMAT', ['PC8']],
  ['#GEN', ['datum']],
  ['#SIETYP', ['typnr']],
  ['#PROSA', ['text']],
  ['#FTYP', ['företagstyp']],
  ['#FNR', ['företagsid']],
  ['#BKOD', ['SNI-kod']],
  ['#FNAMN', ['företagsnamn']],
  ['#RAR', ['årsnr']],
  ['#TAXAR', ['år']],
  ['#OMFATTN', ['datum']],
  ['#KPTYP', ['typ']],
  ['#VALUTA', ['valutakod']],
  ['#KONTO', ['kontonr', 'kontonamn']],
  ['#KTYP', ['kontonr', 'kontotyp']],
  ['#ENHET', ['kontonr', 'enhet']],
  ['#SRU', ['konto', 'SRU-kod']],
  ['#DIM', ['dimensionsnr', 'namn']],
  ['#UNDERDIM', ['dimensionsnr', 'namn', 'superdimension']],
  ['#OBJEKT', ['dimensionsnr', 'objektnr', 'objektnamn']],
  ['#IB', ['årsnr', 'konto', 'saldo']],
  ['#UB', ['årsnr', 'konto', 'saldo']],
  ['#RES', ['årsnr', 'konto', 'saldo']],
  ['#OIB', ['årsnr', 'konto', OBJECT_LIST, 'saldo']],
  ['#OUB', ['årsnr', 'konto', OBJECT_LIST, 'saldo']],
  ['#PSALDO', ['årsnr', 'period', 'konto', OBJECT_LIST, 'saldo']],
  ['#PBUDGET', ['årsnr', 'period', 'konto', OBJECT_LIST, 'saldo']],
  ['#VER', ['serie', 'vernr', 'verdatum']],
  ['#TRANS', ['kontonr', OBJECT_LIST, 'belopp']],
  ['#RTRANS', ['kontonr', OBJECT_LIST, 'belopp']],
  ['#BTRANS', ['kontonr', OBJECT_LIST, 'belopp']],
]);

/** The mandatory fields a record lacks, in the spec's words ('' when it has them all). */
function missingFields(record: SieRecord): string {
  const names = REQUIRED_FIELDS.get(record.label);
  if (names === undefined) return '';
  let count = record.fields.length;
  // Writers that leave out the object list (read as tolerated) shift the later fields left.
  const list = names.indexOf(OBJECT_LIST);
  if (list >= 0 && count > list && !Array.isArray(record.fields[list])) count++;
  return count >= names.length ? '' : names.slice(count).join(' ');
}

/**
 * Reads one SIE file (a path, or bytes or a stream with a name) and yields its header, chart,
 * dimensions, journals, vouchers, balances, budgets and data-quality issues. Unreadable input
 * throws FileFormatError. A stream is kept in memory for the second pass: the encoding is
 * chosen from the whole file.
 */
export async function* readSie(input: FileInput): AsyncGenerator<LedgerEvent> {
  const source = byteSource(input, CHUNK);
  const encoding = await sniffEncoding(source);
  const parser = new SieParser(source.name, encoding);
  const decode = createSieDecoder(encoding);
  let carry = '';
  const feed = function* (text: string, final: boolean): Generator<LedgerEvent> {
    let start = 0;
    let nl: number;
    while ((nl = text.indexOf('\n', start)) >= 0) {
      parser.line(text.slice(start, nl));
      start = nl + 1;
    }
    carry = text.slice(start);
    if (final && carry.length > 0) {
      parser.lastLine(carry);
      carry = '';
    }
    if (carry.length > MAX_LINE) {
      throw new FileFormatError(
        `${describeLocation(parser.here(1))}: the line is longer than ${MAX_LINE} characters, so this is not an SIE file.`,
        parser.here(1),
      );
    }
    yield* parser.drain();
  };
  for await (const chunk of source.open()) yield* feed(carry + decode(chunk), false);
  yield* feed(carry + decode(null), true);
  parser.end();
  yield* parser.drain();
}

/** First pass over the raw bytes: empty/binary files are rejected, the encoding chosen. */
async function sniffEncoding(source: ByteSource): Promise<SieEncoding> {
  const name = source.name;
  const location: SourceLocation = { file: name };
  const sniffer = new EncodingSniffer();
  let offset = 0;
  for await (const chunk of source.open()) {
    const bad = findBinaryByte(chunk, offset === 0);
    if (bad >= 0) {
      throw new FileFormatError(
        `${name} is a binary file, not an SIE text file (control byte 0x${chunk[bad]!.toString(16).padStart(2, '0')} at byte ${offset + bad}).`,
        location,
      );
    }
    sniffer.push(chunk);
    offset += chunk.length;
  }
  if (offset === 0) throw new FileFormatError(`${name} is empty (0 bytes), so it is not an SIE file.`, location);
  const sniffed = sniffer.finish();
  const declared = declaredEncoding(sniffer.head);
  const encoding = declared ?? sniffed;
  // Bytes the encoding has no character for are refused, never stored as U+FFFD.
  const bad = encoding === 'utf-8' ? (sniffed === 'utf-8' || sniffer.pureAscii ? null : await firstBadUtf8(source)) : encoding === 'windows-1252' ? await firstUndefined1252(source) : null;
  if (bad !== null) {
    const why = declared !== null ? `the encoding its #FORMAT declares` : `the encoding its letters show`;
    throw new FileFormatError(`${name} line ${bad.line}: the file holds ${bad.bytes}, not valid ${encoding.toUpperCase()}, ${why}; export it again in one encoding (SIE: PC8, code page 437).`, { file: name, line: bad.line });
  }
  return encoding;
}

/**
 * An encoding #FORMAT names, where a writer names a real one instead of the spec's PC8
 * (which says nothing real files can be trusted on, so the bytes decide for it).
 */
function declaredEncoding(head: string): SieEncoding | null {
  const value = /^[ \t]*#FORMAT[ \t]+"?([^"\s]+)/m.exec(head)?.[1]?.toUpperCase();
  if (value === 'UTF-8' || value === 'UTF8') return 'utf-8';
  if (value === 'ISO-8859-1' || value === 'LATIN1' || value === 'LATIN-1' || value === 'WINDOWS-1252' || value === 'CP1252') return 'windows-1252';
  return null;
}

async function firstBadUtf8(source: ByteSource): Promise<{ line: number; bytes: string } | null> {
  const v = new Utf8Validator();
  for await (const chunk of source.open()) {
    const bad = v.push(chunk);
    if (bad !== null) return bad;
  }
  return v.end();
}

/** Bytes Windows-1252 leaves undefined (and ISO-8859-1 has only as control characters). */
const UNDEFINED_1252 = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

async function firstUndefined1252(source: ByteSource): Promise<{ line: number; bytes: string } | null> {
  let line = 1;
  for await (const chunk of source.open()) {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (b === 10) line++;
      else if (UNDEFINED_1252.has(b)) return { line, bytes: `byte 0x${b.toString(16).toUpperCase()}` };
    }
  }
  return null;
}

interface YearDates {
  start: string;
  end: string;
}

interface AccountDraft {
  row: AccountRow;
  line: number;
  emitted: boolean;
}

interface VoucherDraft {
  series: string;
  number: string;
  date: string | null;
  text: string;
  regdate: string | null;
  line: number;
  lines: LedgerLine[];
  history: Record<string, unknown>[] | null;
  extra: Record<string, unknown> | null;
  /** A row was dropped as malformed, so the balance check would only repeat that error. */
  damaged: boolean;
  pendingRtrans: { record: SieRecord; line: number } | null;
}

interface StatedBalance {
  amount: bigint;
  line: number;
}

function str(field: SieField | undefined): string {
  return typeof field === 'string' ? field : '';
}

function rowWhere(label: string, v: VoucherDraft): string {
  return `${label} in voucher ${v.series} ${v.number}`;
}

function ktypToAccountType(ktyp: string, account: string): AccountType | null {
  switch (ktyp.trim().toUpperCase()) {
    case 'T':
      return 'asset';
    case 'S':
      // BAS 20xx is equity (eget kapital), which SIE also marks S.
      return account.startsWith('20') ? 'equity' : 'liability';
    case 'K':
      return 'expense';
    case 'I':
      return 'income';
    default:
      return null;
  }
}

class SieParser {
  private out: LedgerEvent[] = [];
  private lineNo = 0;
  private recordsSeen = 0;
  private sawSieLabel = false;
  private flushed = false;

  // Identification
  private program: string[] | null = null;
  private sietyp: string | null = null;
  private fnamn: string | null = null;
  private orgnr: string | null = null;
  private fnr: string | null = null;
  /** Identification records the unified columns do not hold (#GEN, #ADRESS, #KPTYP, …). */
  private identification: Record<string, string[]> = {};
  private valuta: string | null = null;
  private readonly rar = new Map<number, YearDates>();
  private formatVersion = 'sie-1';
  private is4E = false;

  // Chart and dimensions
  private readonly accounts = new Map<string, AccountDraft>();
  private readonly dimensionNames = new Map<string, string>();
  private readonly pendingObjects: { dim: string; id: string; name: string; line: number }[] = [];
  private readonly dimensionValuesSeen = new Set<string>();
  /** `dim\0object` → its normalised line dimension, shared by every row that names it. */
  private readonly lineDimensionCache = new Map<string, LineDimension>();
  private readonly journalsSeen = new Set<string>();

  // Vouchers
  private expectBlockFor: VoucherDraft | null = null;
  private voucher: VoucherDraft | null = null;
  private skippingBlock = false;
  private voucherOrdinal = 0;
  private readonly transTotals = new AccountMovements();
  private readonly unknownAccounts = new Set<string>();

  // Stated balances of year 0, for reconciliation
  private readonly ib0 = new Map<string, StatedBalance>();
  private readonly ub0 = new Map<string, StatedBalance>();
  private readonly res0 = new Map<string, StatedBalance>();
  private readonly missingYearReported = new Set<number>();
  private priorBudgetReported = false;
  /** Accounts that balance records name, with the first such line: checked against #KONTO at the end. */
  private readonly balanceAccounts = new Map<string, number>();

  // Checksum (§10)
  private checksumState: 'none' | 'open' | 'closed' = 'none';
  private checksumOpenLine = 0;
  private checksums: { sum: SieChecksum; encoding: SieEncoding }[] = [];
  private checksumPending = '';

  /** Line of the latest malformed_* error: an invalid last line is a cut one. */
  private lastMalformedLine = 0;

  constructor(
    private readonly file: string,
    private readonly encoding: SieEncoding,
  ) {}

  here(offset = 0): SourceLocation {
    return { file: this.file, line: this.lineNo + offset };
  }

  *drain(): Generator<LedgerEvent> {
    if (this.out.length === 0) return;
    const events = this.out;
    this.out = [];
    yield* events;
  }

  /** Every issue goes out: the import keeps them all, and only what is printed is capped. */
  private issue(severity: ImportIssue['severity'], code: string, message: string, line?: number): void {
    if (severity === 'error' && code.startsWith('malformed_') && line !== undefined) this.lastMalformedLine = line;
    const location: SourceLocation = line === undefined ? { file: this.file } : { file: this.file, line };
    this.out.push({ kind: 'issue', issue: { severity, code, message: `${describeLocation(location)}: ${message}`, location } });
  }

  private fatal(message: string, line = this.lineNo): never {
    const location = { file: this.file, line };
    throw new FileFormatError(`${describeLocation(location)}: ${message}`, location);
  }

  /**
   * The last line when the file does not end with a line ending. Some writers end a whole
   * file so (Fortnox: `}`), but a record cut short there means the export was cut off.
   */
  lastLine(raw: string): void {
    const record = tokenizeSieLine(raw);
    if (record === null) return this.line(raw);
    const label = record.label;
    const missing = missingFields(record);
    const cutLabel = label.startsWith('#') && !KNOWN_LABELS.has(label) && [...KNOWN_LABELS].some((known) => known.startsWith(label));
    let why = record.problem ?? (missing !== '' ? `it lacks ${missing}` : cutLabel ? 'its label is cut short' : null);
    if (why === null) {
      // Complete in shape, but a value cut short (`#UB 0 2650 -`, `#RAR 0 20`) is reported as malformed.
      this.line(raw);
      if (this.lastMalformedLine !== this.lineNo) return;
      why = `it is not a valid ${label} record`;
    } else {
      this.lineNo++; // not read: the message names the cut record instead of its symptoms
    }
    this.fatal(`the file ends in the middle of the record "${raw.trim().slice(0, 40)}" (${why}): the file is incomplete, export it again.`);
  }

  line(raw: string): void {
    this.lineNo++;
    const record = tokenizeSieLine(raw);
    if (record === null) return;
    const label = record.label;

    if (this.checksumState === 'open' && label !== '{' && label !== '}' && label !== '#KSUMMA') {
      this.checksumPending += checksumText(record);
      if (this.checksumPending.length > 65536) this.flushChecksum();
    }

    if (this.expectBlockFor !== null) {
      if (label !== '{') {
        const v = this.expectBlockFor;
        this.fatal(`#VER ${v.series} ${v.number} at line ${v.line} is not followed by its { } block of #TRANS rows (found "${raw.trim().slice(0, 40)}").`);
      }
      this.voucher = this.expectBlockFor;
      this.expectBlockFor = null;
      return;
    }

    if (this.voucher !== null) {
      this.blockLine(record, raw);
      return;
    }
    if (this.skippingBlock) {
      if (label === '}') this.skippingBlock = false;
      return;
    }

    this.recordsSeen++;
    if (!label.startsWith('#')) {
      if (label === '{') {
        this.issue('warning', 'unexpected_block', 'a { } block that does not belong to a #VER was skipped.', this.lineNo);
        this.skippingBlock = true;
        return;
      }
      if (label === '}') {
        this.issue('warning', 'unexpected_block', 'a } without a matching { was ignored.', this.lineNo);
        return;
      }
      if (!this.sawSieLabel) this.fatal(`the file is not an SIE file: the line starts with "${label.slice(0, 30)}" instead of an SIE record such as #FLAGGA.`);
      this.issue('warning', 'unparsable_line', `the line is not an SIE record (it does not start with #) and was ignored.`, this.lineNo);
      return;
    }
    if (KNOWN_LABELS.has(label)) this.sawSieLabel = true;
    else if (!this.sawSieLabel && this.recordsSeen >= NOT_SIE_AFTER) {
      this.fatal(`the file is not an SIE file: ${NOT_SIE_AFTER} records without #FLAGGA, #SIETYP or any other SIE record.`);
    }
    if (record.problem !== null) {
      this.issue('warning', 'malformed_record', `${label}: ${record.problem}; the rest of the line was read as one field.`, this.lineNo);
    }
    this.topLevel(record);
  }

  private headerExtra(): Record<string, unknown> | null {
    return Object.keys(this.identification).length > 0 ? { ...this.identification } : null;
  }

  private topLevel(record: SieRecord): void {
    const f = record.fields;
    const label = record.label;
    if (BALANCE_LABELS.has(label) || label === '#VER') this.flush(label);
    switch (label) {
      case '#FLAGGA':
      case '#FORMAT':
      case '#GEN':
      case '#PROSA':
      case '#FTYP':
      case '#BKOD':
      case '#ADRESS':
      case '#TAXAR':
      case '#OMFATTN':
      case '#KPTYP':
        this.identification[label.slice(1).toLowerCase()] = f.map(str);
        return;
      case '#KSUMMA':
        return this.ksumma(f);
      case '#PROGRAM':
        this.program = f.map(str).filter((s) => s !== '');
        return;
      case '#SIETYP':
        this.sietyp = str(f[0]);
        return;
      case '#FNAMN':
        // Some writers leave a multi-word name unquoted (Quotes_test.si): keep every word.
        this.fnamn = f.map(str).join(' ');
        return;
      case '#ORGNR':
        this.orgnr = str(f[0]) || null;
        return;
      case '#FNR':
        this.fnr = str(f[0]) || null;
        return;
      case '#VALUTA':
        this.valuta = str(f[0]).toUpperCase() || null;
        return;
      case '#RAR':
        return this.rarRecord(f);
      case '#KONTO':
        return this.konto(record);
      case '#KTYP': {
        if (this.incomplete(record)) return;
        const a = this.accountDraft(str(f[0]));
        if (a) a.row.account_type = ktypToAccountType(str(f[1]), a.row.account_id);
        return;
      }
      case '#SRU': {
        if (this.incomplete(record)) return;
        const a = this.accountDraft(str(f[0]));
        if (a && str(f[1])) {
          const extra = (a.row.extra ??= {});
          ((extra.sru ??= []) as string[]).push(str(f[1]));
        }
        return;
      }
      case '#ENHET': {
        if (this.incomplete(record)) return;
        const a = this.accountDraft(str(f[0]));
        if (a && str(f[1])) (a.row.extra ??= {}).unit = str(f[1]);
        return;
      }
      case '#DIM':
      case '#UNDERDIM':
        this.incomplete(record);
        if (str(f[0])) this.dimensionNames.set(str(f[0]), str(f[1]));
        this.lineDimensionCache.clear();
        return;
      case '#OBJEKT':
        return this.objekt(record);
      case '#IB':
      case '#UB':
      case '#RES':
        return this.yearBalance(label, f);
      case '#OIB':
      case '#OUB':
        return this.objectBalance(label, f);
      case '#PSALDO':
      case '#PBUDGET':
        return this.periodRecord(label, f);
      case '#VER':
        return this.ver(f);
      case '#TRANS':
      case '#RTRANS':
      case '#BTRANS':
        this.issue('warning', 'malformed_record', `${label} outside a #VER block was ignored.`, this.lineNo);
        return;
      default:
        return; // §7.1: unknown labels are ignored
    }
  }

  // ---- identification ----------------------------------------------------------------

  private rarRecord(f: SieField[]): void {
    const index = Number.parseInt(str(f[0]), 10);
    const startText = str(f[1]);
    const endText = str(f[2]);
    if (!Number.isFinite(index)) {
      this.issue('error', 'malformed_record', `#RAR has no valid year number ("${str(f[0])}").`, this.lineNo);
      return;
    }
    if (startText === '' && endText === '') return; // 4I files may write "#RAR 0" without dates
    const start = parseSieDate(startText);
    const end = parseSieDate(endText);
    if (start === null || end === null) {
      const [field, value] = start === null ? ['start', startText] : ['end', endText];
      this.issue('error', 'malformed_date', `#RAR ${index} field ${field} "${value}" is not a valid YYYYMMDD date.`, this.lineNo);
      return;
    }
    this.rar.set(index, { start, end });
  }

  private yearDates(index: number): YearDates | null {
    const stated = this.rar.get(index);
    if (stated) return stated;
    const current = this.rar.get(0);
    if (current && Number.isInteger(index)) {
      // A comparison year without #RAR: assume the same calendar shape, shifted.
      return { start: shiftYears(current.start, index), end: shiftYears(current.end, index) };
    }
    if (!this.missingYearReported.has(index)) {
      this.missingYearReported.add(index);
      this.issue('warning', 'missing_fiscal_year', `balances for year ${index} were skipped because the file has no #RAR ${index} with dates.`, this.lineNo);
    }
    return null;
  }

  // ---- chart and dimensions ----------------------------------------------------------

  /**
   * Reports a chart record without all its mandatory fields, which the reader would
   * otherwise take silently as an empty name or code. A warning: a nameless account or an
   * account without its SRU code loses nothing of the ledger. True when it is incomplete.
   */
  private incomplete(record: SieRecord): boolean {
    const missing = missingFields(record);
    if (missing === '') return false;
    const shown = [record.label, ...record.fields.map(str)].join(' ').trim().slice(0, 40);
    const fields = missing.includes(' ') ? 'fields' : 'field';
    this.issue('warning', 'incomplete_record', `"${shown}" lacks its mandatory ${fields} ${missing} (SIE 4B §11); read without ${missing.includes(' ') ? 'them' : 'it'}.`, this.lineNo);
    return true;
  }

  private accountDraft(id: string): AccountDraft | undefined {
    return id === '' ? undefined : this.accounts.get(id);
  }

  private konto(record: SieRecord): void {
    const f = record.fields;
    const id = str(f[0]);
    if (id === '') {
      this.issue('error', 'malformed_record', '#KONTO has no account number.', this.lineNo);
      return;
    }
    this.incomplete(record); // kept without a name: its rows still have an account
    const existing = this.accounts.get(id);
    if (existing) {
      existing.row.name = str(f[1]);
      return;
    }
    this.accounts.set(id, {
      line: this.lineNo,
      emitted: false,
      row: {
        account_id: id,
        name: str(f[1]),
        account_type: null,
        standard_account_id: null,
        grouping_category: null,
        grouping_code: null,
        default_vat_code: null,
        is_active: true,
        extra: null,
      },
    });
  }

  private objekt(record: SieRecord): void {
    const f = record.fields;
    const dim = str(f[0]);
    const id = str(f[1]);
    if (dim === '' || id === '') {
      this.issue('error', 'malformed_record', '#OBJEKT needs a dimension number and an object number.', this.lineNo);
      return;
    }
    this.incomplete(record); // kept without a name, as for an object only rows name
    const object = { dim, id, name: str(f[2]), line: this.lineNo };
    if (this.flushed) this.emitObject(object);
    else this.pendingObjects.push(object);
  }

  private emitObject(o: { dim: string; id: string; name: string; line: number }): void {
    const type = sieDimensionType(o.dim, this.dimensionNames.get(o.dim));
    const key = `${type}\u0000${o.id}`;
    if (this.dimensionValuesSeen.has(key)) return;
    this.dimensionValuesSeen.add(key);
    this.out.push({
      kind: 'dimension',
      row: { dimension_type: type, dimension_id: o.id, name: o.name, is_active: true },
      location: { file: this.file, line: o.line },
    });
  }

  /** Object list → line dimensions; objects no #OBJEKT declared get a row named by their id. */
  private dimensions(list: string[], what: string): LineDimension[] {
    if (list.length === 0) return [];
    if (list.length % 2 !== 0) {
      this.issue('warning', 'malformed_record', `${what}: the object list {${list.join(' ')}} has an odd number of items; the last was ignored.`, this.lineNo);
    }
    const dims: LineDimension[] = [];
    for (let i = 0; i + 1 < list.length; i += 2) {
      const dim = list[i]!;
      const id = list[i + 1]!;
      const key = `${dim}\u0000${id}`;
      let d = this.lineDimensionCache.get(key);
      if (d === undefined) {
        const type = sieDimensionType(dim, this.dimensionNames.get(dim));
        if (!this.dimensionValuesSeen.has(`${type}\u0000${id}`)) this.emitObject({ dim, id, name: id, line: this.lineNo });
        d = { dimension_type: type, dimension_id: id };
        this.lineDimensionCache.set(key, d);
      }
      dims.push(d);
    }
    return dims;
  }

  /** Emits header and master data once, before the first balance or voucher. */
  private flush(trigger: string | null): void {
    if (this.flushed) return;
    this.flushed = true;
    const rar0 = this.rar.get(0);
    const declared = this.sietyp?.trim() ?? null;
    let type = declared;
    if (type !== '1' && type !== '2' && type !== '3' && type !== '4') {
      // No (or an odd) #SIETYP: judge by the first balance/voucher record.
      type = trigger === '#VER' ? '4' : trigger === '#OIB' || trigger === '#OUB' ? '3' : trigger === '#PSALDO' || trigger === '#PBUDGET' ? '2' : '1';
    }
    if (type === '4') {
      // 4E carries the chart and the year's balances; a 4I feeder file need not (§6).
      this.is4E = (trigger !== null && BALANCE_LABELS.has(trigger)) || (this.accounts.size > 0 && rar0 !== undefined);
      this.formatVersion = this.is4E ? 'sie-4E' : 'sie-4I';
    } else {
      this.formatVersion = `sie-${type}`;
    }
    const years: FiscalYearRow[] = [...this.rar.entries()]
      .sort((a, b) => b[0] - a[0])
      .map(([index, d]) => ({ start_date: d.start, end_date: d.end, label: fiscalYearLabel(d.start, d.end), is_closed: index < 0 }));
    this.out.push({
      kind: 'header',
      location: { file: this.file, line: 1 },
      header: {
        format: 'sie',
        format_version: this.formatVersion,
        declared_version: this.sietyp,
        encoding: this.encoding,
        software: this.program && this.program.length > 0 ? this.program.join(' ') : null,
        organization: {
          name: this.fnamn ?? '',
          country: 'SE',
          org_number: this.orgnr,
          base_currency: this.valuta ?? 'SEK',
          source_company_ref: this.fnr,
        },
        selection_start: rar0?.start ?? null,
        selection_end: rar0?.end ?? null,
        fiscal_years: years,
        extra: this.headerExtra(),
      },
    });
    this.emitAccounts();
    for (const o of this.pendingObjects) this.emitObject(o);
    this.pendingObjects.length = 0;
  }

  private emitAccounts(): void {
    for (const a of this.accounts.values()) {
      if (a.emitted) continue;
      a.emitted = true;
      this.out.push({ kind: 'account', row: a.row, location: { file: this.file, line: a.line } });
    }
  }

  // ---- balances ----------------------------------------------------------------------

  private yearIndex(text: string, label: string): number | null {
    if (!/^-?\d+$/.test(text.trim())) {
      this.issue('error', 'malformed_record', `${label} field årsnr "${text}" is not a year number.`, this.lineNo);
      return null;
    }
    return Number.parseInt(text, 10);
  }

  private amount(text: string, label: string, field: string): bigint | null {
    const value = parseSieAmount(text);
    if (value === null || text.trim() === '') {
      this.issue('error', 'malformed_amount', `${label} field ${field} "${text}" is not an amount (digits, optional "-", "." and at most two decimals).`, this.lineNo);
      return null;
    }
    return value;
  }

  private yearBalance(label: string, f: SieField[]): void {
    const index = this.yearIndex(str(f[0]), label);
    const account = str(f[1]);
    if (index === null) return;
    if (account === '') {
      this.issue('error', 'malformed_record', `${label} has no account number.`, this.lineNo);
      return;
    }
    const amount = this.amount(str(f[2]), label, 'saldo');
    if (amount === null) return;
    this.balanceAccount(account);
    if (index === 0) {
      const map = label === '#IB' ? this.ib0 : label === '#UB' ? this.ub0 : this.res0;
      map.set(account, { amount, line: this.lineNo });
    }
    const dates = this.yearDates(index);
    if (!dates) return;
    this.out.push({
      kind: 'balance',
      location: this.here(),
      row: {
        account_id: account,
        balance_type: `${index < 0 ? 'prior_' : ''}${label === '#IB' ? 'opening' : 'closing'}`,
        as_of: label === '#IB' ? dates.start : dates.end,
        dimension_type: null,
        dimension_id: null,
        amount,
      },
    });
  }

  private firstObject(field: SieField | undefined, label: string): LineDimension | null {
    if (!Array.isArray(field)) return null;
    const dims = this.dimensions(field, label);
    return dims[0] ?? null;
  }

  private objectBalance(label: string, f: SieField[]): void {
    const index = this.yearIndex(str(f[0]), label);
    const account = str(f[1]);
    if (index === null) return;
    const dim = this.firstObject(f[2], label);
    if (account === '' || dim === null) {
      this.issue('error', 'malformed_record', `${label} needs an account and an object list {dimension object}.`, this.lineNo);
      return;
    }
    const amount = this.amount(str(f[3]), label, 'saldo');
    if (amount === null) return;
    this.balanceAccount(account);
    const dates = this.yearDates(index);
    if (!dates) return;
    this.out.push({
      kind: 'balance',
      location: this.here(),
      row: {
        account_id: account,
        balance_type: `${index < 0 ? 'prior_' : ''}${label === '#OIB' ? 'opening' : 'closing'}`,
        as_of: label === '#OIB' ? dates.start : dates.end,
        dimension_type: dim.dimension_type,
        dimension_id: dim.dimension_id,
        amount,
      },
    });
  }

  private periodRecord(label: string, f: SieField[]): void {
    const index = this.yearIndex(str(f[0]), label);
    if (index === null) return;
    const periodText = str(f[1]);
    const month = parseSiePeriod(periodText);
    if (month === null) {
      this.issue('error', 'malformed_date', `${label} field period "${periodText}" is not a valid YYYYMM period.`, this.lineNo);
      return;
    }
    const account = str(f[2]);
    if (account === '') {
      this.issue('error', 'malformed_record', `${label} has no account number.`, this.lineNo);
      return;
    }
    // The object list is mandatory but some writers omit it: then the amount moves up one.
    const hasList = Array.isArray(f[3]);
    const dim = hasList ? this.firstObject(f[3], label) : null;
    const amount = this.amount(str(hasList ? f[4] : f[3]), label, 'saldo');
    if (amount === null) return;
    const location = this.here();
    const dimension_type = dim?.dimension_type ?? null;
    const dimension_id = dim?.dimension_id ?? null;
    this.balanceAccount(account);
    if (index < 0) {
      const current = this.rar.get(0);
      if (current && month >= current.start && month <= current.end) {
        // Year -1 dated in the current year: taken as given it would be a second copy of this year's figures.
        this.issue('warning', 'prior_year_in_current_year', `${label} ${index} for account ${account} is dated ${periodText}, inside the current fiscal year ${current.start}..${current.end}; it was skipped, not read as a second copy of this year's ${label === '#PBUDGET' ? 'budget' : 'movements'}.`, this.lineNo);
        return;
      }
      if (label === '#PBUDGET') {
        if (!this.priorBudgetReported) {
          this.priorBudgetReported = true;
          this.issue('warning', 'prior_year_budget_skipped', `#PBUDGET records of comparison years (from this line on) are not imported: the warehouse keeps a budget for the file's own year only.`, this.lineNo);
        }
        return;
      }
      this.out.push({ kind: 'balance', location, row: { account_id: account, balance_type: 'prior_period_movement', as_of: month, dimension_type, dimension_id, amount } });
      return;
    }
    if (label === '#PBUDGET') {
      this.out.push({ kind: 'budget', location, row: { account_id: account, month, dimension_type, dimension_id, amount } });
    } else {
      this.out.push({
        kind: 'balance',
        location,
        row: { account_id: account, balance_type: 'period_movement', as_of: month, dimension_type, dimension_id, amount },
      });
    }
  }

  // ---- vouchers ----------------------------------------------------------------------

  private ver(f: SieField[]): void {
    this.voucherOrdinal++;
    const series = str(f[0]);
    let number = str(f[1]);
    let extra: Record<string, unknown> | null = null;
    if (number === '') {
      // 4I feeder files leave numbering to the importer; the ordinal keeps re-reads stable.
      number = String(this.voucherOrdinal);
      extra = { synthetic_number: true };
    }
    const dateText = str(f[2]);
    const date = parseSieDate(dateText);
    if (date === null) {
      this.issue('error', 'malformed_date', `#VER ${series} ${number} field verdatum "${dateText}" is not a valid YYYYMMDD date; the voucher was skipped.`, this.lineNo);
    }
    const regText = str(f[4]);
    let regdate: string | null = null;
    if (regText !== '') {
      regdate = parseSieDate(regText);
      if (regdate === null) {
        this.issue('error', 'malformed_date', `#VER ${series} ${number} field regdatum "${regText}" is not a valid YYYYMMDD date.`, this.lineNo);
      }
    }
    const sign = str(f[5]);
    if (sign !== '') (extra ??= {}).sign = sign;
    this.expectBlockFor = {
      series,
      number,
      date,
      text: str(f[3]),
      regdate,
      line: this.lineNo,
      lines: [],
      history: null,
      extra,
      damaged: false,
      pendingRtrans: null,
    };
  }

  private blockLine(record: SieRecord, raw: string): void {
    const v = this.voucher!;
    const label = record.label;
    if (v.pendingRtrans !== null && label !== '#TRANS') {
      // §11: an #RTRANS must be followed by its #TRANS copy; without one, the added row is current.
      this.issue('warning', 'rtrans_without_trans', `#RTRANS in voucher ${v.series} ${v.number} is not followed by its #TRANS copy; it was kept as a row.`, v.pendingRtrans.line);
      const pending = v.pendingRtrans;
      v.pendingRtrans = null;
      const saved = this.lineNo;
      this.lineNo = pending.line;
      this.row(v, pending.record);
      this.lineNo = saved;
    }
    if (label === '}') return this.closeVoucher(v);
    if (record.problem !== null) {
      this.issue('warning', 'malformed_record', `${label}: ${record.problem}.`, this.lineNo);
    }
    switch (label) {
      case '#TRANS':
        v.pendingRtrans = null;
        return this.row(v, record);
      case '#RTRANS':
        this.history(v, record);
        v.pendingRtrans = { record, line: this.lineNo };
        return;
      case '#BTRANS':
        this.history(v, record);
        return;
      default:
        if (label === '#VER' || label === '{' || (KNOWN_LABELS.has(label) && !ROW_LABELS.has(label))) {
          this.fatal(`the { } block of #VER ${v.series} ${v.number} (line ${v.line}) is not closed before "${raw.trim().slice(0, 40)}"; the file is truncated or damaged.`);
        }
        return; // unknown sub-records are ignored (§7.1)
    }
  }

  private parseRow(v: VoucherDraft, record: SieRecord): LedgerLine | null {
    const f = record.fields;
    // Only built when a message needs it (no closure either): this runs once per row.
    const account = str(f[0]);
    if (account === '') {
      this.issue('error', 'malformed_record', `${rowWhere(record.label, v)} has no account number.`, this.lineNo);
      return null;
    }
    // The object list is mandatory, but tolerate writers that leave it out.
    const list = f[1];
    const hasList = Array.isArray(list);
    const base = hasList ? 2 : 1;
    const dims = hasList && list.length > 0 ? this.dimensions(list, rowWhere(record.label, v)) : [];
    const amountText = str(f[base]);
    const amount = parseSieAmount(amountText);
    if (amount === null || amountText === '') {
      this.amount(amountText, rowWhere(record.label, v), 'belopp');
      return null;
    }
    let extra: Record<string, unknown> | null = null;
    if (f.length > base + 1) {
      const dateText = str(f[base + 1]);
      if (dateText !== '') {
        const d = parseSieDate(dateText);
        if (d === null) this.issue('error', 'malformed_date', `${rowWhere(record.label, v)} field transdat "${dateText}" is not a valid YYYYMMDD date.`, this.lineNo);
        else if (d !== v.date) extra = { transaction_date: d };
      }
      const quantity = str(f[base + 3]);
      if (quantity !== '') (extra ??= {}).quantity = quantity;
      const sign = str(f[base + 4]);
      if (sign !== '') (extra ??= {}).sign = sign;
    }
    const text = str(f[base + 2]);
    return {
      account_id: account,
      amount,
      currency: null,
      currency_amount: null,
      vat_code: null,
      description: text !== '' ? text : v.text !== '' ? v.text : null,
      party_type: null,
      party_id: null,
      dimensions: dims,
      extra,
    };
  }

  private row(v: VoucherDraft, record: SieRecord): void {
    const line = this.parseRow(v, record);
    if (line === null) {
      v.damaged = true;
      return;
    }
    this.checkAccount(line.account_id);
    v.lines.push(line);
  }

  private history(v: VoucherDraft, record: SieRecord): void {
    const line = this.parseRow(v, record);
    if (line === null) return;
    (v.history ??= []).push({
      record: record.label,
      account_id: line.account_id,
      amount: formatMoney(line.amount),
      dimensions: line.dimensions,
      description: str(record.fields[Array.isArray(record.fields[1]) ? 4 : 3]) || null,
      ...(line.extra ?? {}),
    });
  }

  private balanceAccount(account: string): void {
    if (!this.balanceAccounts.has(account)) this.balanceAccounts.set(account, this.lineNo);
  }

  /**
   * Files that carry the chart (4E, and types 1–3 by definition, vouchers or not) must
   * declare every account they use; only a 4I feeder file may rely on the target's chart.
   */
  private get chartRequired(): boolean {
    return this.is4E || /^sie-[123]$/.test(this.formatVersion);
  }

  private checkAccount(account: string): void {
    if (this.accounts.has(account) || this.unknownAccounts.has(account)) return;
    this.unknownAccounts.add(account);
    if (this.chartRequired) {
      this.issue('error', 'unknown_account', `account ${account} is used by a #TRANS row but has no #KONTO record in the file.`, this.lineNo);
    } else if (this.accounts.size > 0) {
      this.issue('warning', 'unknown_account', `account ${account} is not in the file's #KONTO records; a 4I file assumes it exists in the target ledger.`, this.lineNo);
    }
  }

  private closeVoucher(v: VoucherDraft): void {
    this.voucher = null;
    if (v.date === null) return; // reported at the #VER line
    for (const l of v.lines) this.transTotals.add(l.account_id, l.amount);
    const balance = voucherBalance(v.lines);
    if (balance.difference !== 0n && !v.damaged) {
      this.issue('error', 'unbalanced_voucher', unbalancedVoucherMessage(`voucher ${v.series} ${v.number} (${v.date})`, balance, { rows: '#TRANS rows' }), v.line);
    }
    if (!this.journalsSeen.has(v.series)) {
      this.journalsSeen.add(v.series);
      this.out.push({
        kind: 'journal',
        location: { file: this.file, line: v.line },
        row: { journal_id: v.series, name: v.series === '' ? '(no series)' : v.series, journal_type: 'sie:series', extra: null },
      });
    }
    let extra = v.extra;
    if (v.history !== null) (extra ??= {}).history = v.history;
    const voucher: Voucher = {
      journal_id: v.series,
      voucher_number: v.number,
      voucher_date: v.date,
      posting_date: v.regdate,
      description: v.text !== '' ? v.text : null,
      source_modified_at: null,
      extra,
      lines: v.lines,
    };
    this.out.push({ kind: 'voucher', voucher, location: { file: this.file, line: v.line } });
  }

  // ---- checksum ----------------------------------------------------------------------

  private flushChecksum(): void {
    if (this.checksumPending === '') return;
    for (const c of this.checksums) {
      if (c.encoding === 'utf-8') c.sum.update(encodeSieText(this.checksumPending, 'utf-8'));
      else c.sum.updateText(this.checksumPending, singleByteTable(c.encoding));
    }
    this.checksumPending = '';
  }

  private ksumma(f: SieField[]): void {
    const value = str(f[0]);
    if (value === '') {
      if (this.checksumState === 'none') {
        this.checksumState = 'open';
        this.checksumOpenLine = this.lineNo;
        // §10.14 says CP437 bytes; a UTF-8 file may have been summed either way.
        this.checksums = [{ sum: new SieChecksum(), encoding: this.encoding }];
        if (this.encoding === 'utf-8') this.checksums.push({ sum: new SieChecksum(), encoding: 'cp437' });
      }
      return;
    }
    if (this.checksumState !== 'open') {
      this.issue('warning', 'checksum_unverifiable', `#KSUMMA ${value} has no opening empty #KSUMMA record, so the checksum cannot be verified.`, this.lineNo);
      return;
    }
    this.checksumState = 'closed';
    this.flushChecksum();
    const expected = parseChecksumField(value);
    const actual = this.checksums.map((c) => c.sum.value);
    if (expected === null) {
      this.issue('error', 'checksum_mismatch', `#KSUMMA value "${value}" is not a number.`, this.lineNo);
    } else if (!actual.includes(expected)) {
      this.issue(
        'error',
        'checksum_mismatch',
        `#KSUMMA says ${expected} but the records between line ${this.checksumOpenLine} and here give ${actual[0]}; the file was changed or damaged after export.`,
        this.lineNo,
      );
    }
  }

  // ---- end of file -------------------------------------------------------------------

  end(): void {
    if (this.expectBlockFor !== null) {
      const v = this.expectBlockFor;
      this.fatal(`the file ends after #VER ${v.series} ${v.number} without its { } block: the file is incomplete, export it again.`, v.line);
    }
    if (this.voucher !== null) {
      const v = this.voucher;
      this.fatal(`the file ends inside the { } block of #VER ${v.series} ${v.number} (line ${v.line}): the file is incomplete, export it again.`);
    }
    if (!this.sawSieLabel) {
      throw new FileFormatError(`${this.file} is not an SIE file: it has no #FLAGGA, #SIETYP or other SIE records.`, { file: this.file });
    }
    this.flush(null);
    this.emitAccounts(); // #KONTO records that came after the first voucher
    if (this.sietyp?.trim() === '4' && this.voucherOrdinal === 0) {
      // A type 4 file exists for its vouchers; none at all is what a file cut before them looks like.
      const balances = this.ib0.size + this.ub0.size + this.res0.size > 0;
      this.issue(
        'warning',
        'no_vouchers',
        `the file ends without any #VER voucher${balances || !this.is4E ? '' : ' or #IB/#UB/#RES balance'}, although it is a type 4 export (#SIETYP 4); if the export was cut off, export it again.`,
        this.lineNo,
      );
    }
    if (this.checksumState === 'open') {
      this.issue('error', 'checksum_missing', `the file opens a checksum with #KSUMMA at line ${this.checksumOpenLine} but has no closing #KSUMMA; the file is truncated.`, this.checksumOpenLine);
    }
    if (!this.is4E && this.accounts.size === 0 && this.unknownAccounts.size > 0) {
      const list = [...this.unknownAccounts].slice(0, 10).join(', ');
      this.issue('warning', 'unknown_account', `the file declares no #KONTO records; its vouchers use ${this.unknownAccounts.size} accounts (${list}${this.unknownAccounts.size > 10 ? ', …' : ''}) that must exist in the target ledger.`);
    }
    this.uncharteredBalances();
    this.reconcile();
  }

  /** Accounts only balance records name, missing from #KONTO: each is named, as rows' are. */
  private uncharteredBalances(): void {
    if (this.accounts.size === 0 && !this.chartRequired) return;
    for (const [account, line] of this.balanceAccounts) {
      if (this.accounts.has(account) || this.unknownAccounts.has(account)) continue;
      this.issue(
        this.chartRequired ? 'error' : 'warning',
        'unknown_account',
        `account ${account} has balance records (#IB/#UB/#RES/#PSALDO…) but no #KONTO record in the file.`,
        line,
      );
    }
  }

  /** #UB = #IB + Σ#TRANS per balance account and #RES = Σ#TRANS per P&L account, year 0. */
  private reconcile(): void {
    if (this.voucherOrdinal === 0 || (this.ub0.size === 0 && this.res0.size === 0 && this.ib0.size === 0)) return;
    const accounts = new Set([...this.ib0.keys(), ...this.ub0.keys(), ...this.res0.keys(), ...this.transTotals.accounts()]);
    const sorted = [...accounts].sort();
    for (const account of sorted) {
      const total = this.transTotals.of(account);
      const ib = this.ib0.get(account);
      const ub = this.ub0.get(account);
      const res = this.res0.get(account);
      const type = this.accounts.get(account)?.row.account_type;
      const isBalance =
        ib !== undefined || ub !== undefined
          ? true
          : res !== undefined
            ? false
            : type
              ? type === 'asset' || type === 'liability' || type === 'equity'
              : account.startsWith('1') || account.startsWith('2');
      const stated = isBalance ? (ub?.amount ?? 0n) : (res?.amount ?? 0n);
      // #RES states a year's result: a closing balance that opens at 0.
      const mismatch = closingMismatch(isBalance ? (ib?.amount ?? 0n) : 0n, total, stated);
      if (mismatch === null) continue;
      const computed = mismatch.expected;
      const label = isBalance ? '#UB' : '#RES';
      const formula = isBalance ? '#IB + Σ#TRANS' : 'Σ#TRANS';
      const statedRecord = isBalance ? ub : res;
      this.issue(
        'warning',
        'closing_mismatch',
        `account ${account}: ${label} 0 ${statedRecord ? `says ${formatMoney(stated)}` : 'is missing (0.00)'} but ${formula} = ${formatMoney(computed)} (difference ${formatMoney(-mismatch.difference)}); the closing balance in the file does not match its vouchers.`,
        statedRecord?.line,
      );
    }
  }
}
