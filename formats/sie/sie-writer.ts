// Writes one fiscal year as an SIE 4E file (SIE 4B spec): CP437 text, #KSUMMA checksum,
// vouchers streamed. The file appears atomically (model/atomic-file.ts): written to a temp file, then renamed.

import { open } from 'node:fs/promises';
import iconv from 'iconv-lite';
import { SieChecksum } from './sie-checksum.ts';
import { toSieDate } from './sie-dates.ts';
import { encodeSieText, singleByteTable } from './sie-decoding.ts';
import { RESERVED_DIMENSION_NAMES } from './sie-dimensions.ts';
import { formatMoney, osloToday, replaceFileAtomically, systemClock, type Clock } from '../../model/index.ts';
import type { AccountRow, LedgerExport, LineDimension, Money } from '../../model/index.ts';

/** Bytes buffered before a write; keeps memory flat however many vouchers stream through. */
const FLUSH_AT = 1 << 18;
const FIRST_FREE_DIMENSION = 20;

const CP437_CHARS: ReadonlySet<string> = (() => {
  const bytes = Buffer.alloc(256);
  for (let i = 0; i < 256; i++) bytes[i] = i;
  return new Set(iconv.decode(bytes, 'cp437'));
})();

/**
 * What a text becomes in an SIE file: control characters → space (they may not occur in
 * SIE strings, §5.7), characters outside CP437 → `?`, and a trailing backslash → `/`
 * (SIE has no way to write `\` right before a closing quote).
 */
export function sieRepresentable(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return text.endsWith('\\') ? text.replace(/\\+$/, (m) => '/'.repeat(m.length)) : text;
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x20 || code === 0x7f) out += ' ';
    else if (code < 0x7f || CP437_CHARS.has(ch)) out += ch;
    else out += '?';
  }
  return out.replace(/\\+$/, (m) => '/'.repeat(m.length));
}

type Field = { text: string; quote: boolean } | { list: string[] };

const bare = (text: string): Field => ({ text, quote: false });
const quoted = (text: string): Field => ({ text: sieRepresentable(text), quote: true });
/** Codes (accounts) go bare when they can, else quoted. */
const code = (text: string): Field => (/^[^\s"{}\\]+$/.test(text) ? bare(text) : quoted(text));

class SieOutput {
  private text = '';
  private checksumText = '';
  readonly checksum = new SieChecksum();
  checksumOn = false;

  constructor(private readonly write: (bytes: Uint8Array) => Promise<void>) {}

  record(label: string, fields: Field[]): void {
    let line = label;
    let sum = label;
    for (const f of fields) {
      if ('list' in f) {
        line += ' {' + f.list.map((item) => `"${sieRepresentable(item).replaceAll('"', '\\"')}"`).join(' ') + '}';
        for (const item of f.list) sum += sieRepresentable(item);
      } else {
        line += ' ' + (f.quote ? `"${f.text.replaceAll('"', '\\"')}"` : f.text);
        sum += f.text;
      }
    }
    this.text += line + '\n';
    if (this.checksumOn && label !== '#KSUMMA') this.checksumText += sum;
  }

  brace(b: '{' | '}'): void {
    this.text += b + '\n';
  }

  async maybeFlush(): Promise<void> {
    if (this.text.length >= FLUSH_AT) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.checksumText !== '') {
      this.checksum.updateText(this.checksumText, singleByteTable('cp437'));
      this.checksumText = '';
    }
    if (this.text !== '') {
      const bytes = encodeSieText(this.text, 'cp437');
      this.text = '';
      await this.write(bytes);
    }
  }
}

/** Dimension type → SIE dimension number and #DIM name. */
function assignDimensions(types: Iterable<string>): Map<string, { number: number; name: string }> {
  const map = new Map<string, { number: number; name: string }>();
  const used = new Set<number>();
  const later: string[] = [];
  for (const type of types) {
    if (map.has(type)) continue;
    const fixed = type === 'cost_center' ? 1 : type === 'project' ? 6 : /^sie:\d+$/.test(type) ? Number(type.slice(4)) : null;
    if (fixed !== null && !used.has(fixed)) {
      used.add(fixed);
      map.set(type, { number: fixed, name: RESERVED_DIMENSION_NAMES[fixed] ?? `Dimension ${fixed}` });
    } else {
      later.push(type);
    }
  }
  // Department first so it gets the lowest free number; the name is what the reader recognises.
  later.sort((a, b) => Number(b === 'department') - Number(a === 'department'));
  let next = FIRST_FREE_DIMENSION;
  for (const type of later) {
    if (map.has(type)) continue;
    while (used.has(next)) next++;
    used.add(next);
    map.set(type, { number: next, name: type === 'department' ? 'Avdelning' : type });
  }
  return map;
}

function ktyp(account: AccountRow): string | null {
  switch (account.account_type) {
    case 'asset':
      return 'T';
    case 'liability':
    case 'equity':
      return 'S';
    case 'expense':
      return 'K';
    case 'income':
      return 'I';
    default:
      return null;
  }
}

function isBalanceAccount(account: AccountRow): boolean {
  const t = account.account_type;
  if (t) return t === 'asset' || t === 'liability' || t === 'equity';
  return account.account_id.startsWith('1') || account.account_id.startsWith('2');
}


function stringList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' ? [value] : [];
}

export interface SieWriteOptions {
  /** Dates the file (#GEN); the system clock by default. */
  clock?: Clock;
  /** #PROGRAM: the program that wrote the file; ledgerhouse by default (a simulator writes as its provider). */
  program?: { name: string; version: string };
  /** 4 (default): everything; 1: chart and year balances only (#SIETYP 1, no vouchers). */
  sieType?: 1 | 4;
}

/** Writes `ledger` as an SIE 4E file at `path`, atomically; `clock` dates it (#GEN). */
export async function writeSieFile(ledger: LedgerExport, path: string, options: SieWriteOptions = {}): Promise<void> {
  await replaceFileAtomically(path, async (tmp) => {
    const handle = await open(tmp, 'w');
    try {
      await writeSie(ledger, async (bytes) => {
        await handle.write(bytes);
      }, options);
    } finally {
      await handle.close();
    }
  });
}

/** Writes `ledger` as SIE 4E (CP437 bytes) through `write`, in chunks, for a file or an HTTP body. */
export async function writeSie(ledger: LedgerExport, write: (bytes: Uint8Array) => Promise<void>, options: SieWriteOptions = {}): Promise<void> {
  // Pass 1: which accounts, dimension types and objects the vouchers use, so the chart and
  // #DIM/#OBJEKT records can precede the vouchers as the spec's record order demands.
  const usedAccounts = new Set<string>();
  const usedObjects = new Map<string, LineDimension>();
  for await (const v of ledger.vouchers()) {
    for (const l of v.lines) {
      usedAccounts.add(l.account_id);
      for (const d of l.dimensions) usedObjects.set(`${d.dimension_type}\u0000${d.dimension_id}`, d);
    }
  }
  for (const b of ledger.budget) {
    usedAccounts.add(b.account_id);
    if (b.dimension_type !== null && b.dimension_id !== null) {
      usedObjects.set(`${b.dimension_type}\u0000${b.dimension_id}`, { dimension_type: b.dimension_type, dimension_id: b.dimension_id });
    }
  }
  const dimTypes = [...ledger.dimensions.map((d) => d.dimension_type), ...[...usedObjects.values()].map((d) => d.dimension_type)];
  const dims = assignDimensions(dimTypes);
  const objectList = (ds: readonly LineDimension[]): Field => ({
    list: ds.flatMap((d) => [String(dims.get(d.dimension_type)!.number), d.dimension_id]),
  });

  const out = new SieOutput(write);
  const org = ledger.organization;
  const fy = ledger.fiscal_year;
  out.record('#FLAGGA', [bare('0')]);
  out.record('#KSUMMA', []);
  out.checksumOn = true;
  out.record('#PROGRAM', [quoted(options.program?.name ?? 'ledgerhouse'), bare(options.program?.version ?? '0.1')]);
  out.record('#FORMAT', [bare('PC8')]);
  out.record('#GEN', [bare(toSieDate(osloToday(options.clock ?? systemClock)))]);
  out.record('#SIETYP', [bare(String(options.sieType ?? 4))]);
  if (org.source_company_ref) out.record('#FNR', [quoted(org.source_company_ref)]);
  if (org.org_number) out.record('#ORGNR', [quoted(org.org_number)]);
  out.record('#FNAMN', [quoted(org.name)]);
  out.record('#RAR', [bare('0'), bare(toSieDate(fy.start_date)), bare(toSieDate(fy.end_date))]);
  out.record('#VALUTA', [bare(org.base_currency || 'SEK')]);

  const accountIds = new Set<string>();
  for (const a of ledger.accounts) {
    accountIds.add(a.account_id);
    out.record('#KONTO', [code(a.account_id), quoted(a.name)]);
    const t = ktyp(a);
    if (t) out.record('#KTYP', [code(a.account_id), bare(t)]);
    const extra = a.extra ?? {};
    for (const unit of stringList(extra.unit)) out.record('#ENHET', [code(a.account_id), quoted(unit)]);
    for (const sru of stringList(extra.sru)) out.record('#SRU', [code(a.account_id), quoted(sru)]);
  }
  // A voucher may use an account the chart lacks; 4E readers reject such rows, so declare it.
  for (const id of usedAccounts) if (!accountIds.has(id)) out.record('#KONTO', [code(id), quoted('')]);

  for (const [, d] of [...dims].sort((a, b) => a[1].number - b[1].number)) {
    out.record('#DIM', [bare(String(d.number)), quoted(d.name)]);
  }
  const declared = new Set<string>();
  for (const d of ledger.dimensions) {
    const key = `${d.dimension_type}\u0000${d.dimension_id}`;
    if (declared.has(key)) continue;
    declared.add(key);
    out.record('#OBJEKT', [bare(String(dims.get(d.dimension_type)!.number)), quoted(d.dimension_id), quoted(d.name)]);
  }
  for (const [key, d] of usedObjects) {
    if (declared.has(key)) continue;
    out.record('#OBJEKT', [bare(String(dims.get(d.dimension_type)!.number)), quoted(d.dimension_id), quoted(d.dimension_id)]);
  }

  const money = (m: Money): Field => bare(formatMoney(m));
  for (const a of ledger.accounts) {
    if (isBalanceAccount(a)) {
      out.record('#IB', [bare('0'), code(a.account_id), money(a.opening)]);
      out.record('#UB', [bare('0'), code(a.account_id), money(a.closing)]);
    } else {
      out.record('#RES', [bare('0'), code(a.account_id), money(a.closing)]);
    }
  }
  for (const b of ledger.budget) {
    const ds = b.dimension_type !== null && b.dimension_id !== null ? [{ dimension_type: b.dimension_type, dimension_id: b.dimension_id }] : [];
    out.record('#PBUDGET', [bare('0'), bare(toSieDate(b.month).slice(0, 6)), code(b.account_id), objectList(ds), money(b.amount)]);
  }
  await out.flush();

  for await (const v of options.sieType === 1 ? [] : ledger.vouchers()) {
    const date = toSieDate(v.voucher_date);
    const head: Field[] = [quoted(v.journal_id), quoted(v.voucher_number), bare(date), quoted(v.description ?? '')];
    if (v.posting_date) head.push(bare(toSieDate(v.posting_date)));
    out.record('#VER', head);
    out.brace('{');
    for (const l of v.lines) {
      const extra = l.extra ?? {};
      const transDate = typeof extra.transaction_date === 'string' ? toSieDate(extra.transaction_date) : date;
      const fields: Field[] = [code(l.account_id), objectList(l.dimensions), money(l.amount), bare(transDate), quoted(l.description ?? '')];
      const q = extra.quantity;
      if ((typeof q === 'string' && /^-?\d+(\.\d+)?$/.test(q)) || typeof q === 'number') fields.push(bare(String(q)));
      out.record('#TRANS', fields);
    }
    out.brace('}');
    await out.maybeFlush();
  }
  await out.flush();
  out.checksumOn = false;
  out.record('#KSUMMA', [bare(String(out.checksum.value))]);
  await out.flush();
}
