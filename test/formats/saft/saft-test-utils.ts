// Shared by the SAF-T reader and writer tests: collect reader events, build a LedgerExport
// from them, and write small zip archives (no zip tool needed).

import { constants as zlibConstants, deflateRawSync, crc32, gzipSync } from 'node:zlib';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSaft, type FileInput } from '../../../formats/index.ts';
import type { AccountRow, DimensionRow, FileHeader, ImportIssue, JournalRow, LedgerEvent, LedgerExport, Money, PartyRow, SourceBalance, TaxCodeRow, Voucher } from '../../../model/index.ts';
import { referencePath } from '../../helpers/reference.ts';

export const EXAMPLES = referencePath('saf-t/examples');
export const TOYEN = join(EXAMPLES, 'ExampleFile SAF-T Financial_888888888_20180228235959.xml');
export const TOYEN_XLSX = join(EXAMPLES, 'ExampleFile SAF-T Financial_888888888_20180228235959_Excel_ExampleView.xlsx');
export const XMLSPY = join(EXAMPLES, 'Eksempelfil fra xmlSpy.xml');
export const WORKSHOP = join(EXAMPLES, 'generated_auditfile_formatted.xml');
export const XSD_130 = referencePath('saf-t/xsd/Norwegian_SAF-T_Financial_Schema_v_1.30.xsd');

export interface ReadResult {
  events: LedgerEvent[];
  header: FileHeader;
  accounts: AccountRow[];
  balances: SourceBalance[];
  parties: PartyRow[];
  taxCodes: TaxCodeRow[];
  dimensions: DimensionRow[];
  journals: JournalRow[];
  vouchers: Voucher[];
  issues: ImportIssue[];
  totals: { number_of_entries: number; total_debit: Money; total_credit: Money } | null;
}

export async function readAll(paths: FileInput[]): Promise<ReadResult> {
  const r: Omit<ReadResult, 'header'> & { header: FileHeader | null } = {
    events: [], header: null, accounts: [], balances: [], parties: [], taxCodes: [], dimensions: [], journals: [], vouchers: [], issues: [], totals: null,
  };
  for await (const events of readSaft(paths)) for (const e of events) {
    r.events.push(e);
    switch (e.kind) {
      case 'header': r.header = e.header; break;
      case 'account': r.accounts.push(e.row); break;
      case 'balance': r.balances.push(e.row); break;
      case 'party': r.parties.push(e.row); break;
      case 'tax_code': r.taxCodes.push(e.row); break;
      case 'dimension': r.dimensions.push(e.row); break;
      case 'journal': r.journals.push(e.row); break;
      case 'voucher': r.vouchers.push(e.voucher); break;
      case 'issue': r.issues.push(e.issue); break;
      case 'control_totals': r.totals = { number_of_entries: e.number_of_entries, total_debit: e.total_debit, total_credit: e.total_credit }; break;
      default: break;
    }
  }
  if (r.header === null) throw new Error('no header event');
  return r as ReadResult;
}

export const errors = (r: ReadResult) => r.issues.filter((i) => i.severity === 'error');
export const warnings = (r: ReadResult) => r.issues.filter((i) => i.severity === 'warning');
export const codes = (issues: ImportIssue[]) => issues.map((i) => i.code);

/** A LedgerExport over what a read produced (balances from the opening/closing events). */
export function ledgerFrom(r: ReadResult): LedgerExport {
  const opening = new Map<string, Money>();
  const closing = new Map<string, Money>();
  for (const b of r.balances) (b.balance_type === 'opening' ? opening : closing).set(b.account_id, b.amount);
  let debit = 0n;
  let credit = 0n;
  for (const v of r.vouchers) for (const l of v.lines) l.amount >= 0n ? (debit += l.amount) : (credit -= l.amount);
  const start = r.header.selection_start ?? '2000-01-01';
  const end = r.header.selection_end ?? '2000-12-31';
  return {
    organization: r.header.organization,
    fiscal_year: { start_date: start, end_date: end, label: start.slice(0, 4), is_closed: false },
    accounts: r.accounts.map((a) => ({ ...a, opening: opening.get(a.account_id) ?? 0n, closing: closing.get(a.account_id) ?? 0n })),
    journals: r.journals,
    dimensions: r.dimensions,
    parties: r.parties,
    tax_codes: r.taxCodes,
    budget: [],
    totals: { entries: r.vouchers.length, debit, credit },
    vouchers: async function* () {
      yield* r.vouchers;
    },
  };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `ledgerhouse-${prefix}-`));
}

/** A minimal zip archive (deflated entries) built in memory. */
export function makeZip(entries: { name: string; data: Buffer }[]): Buffer {
  return zipOfDeflated(entries.map(({ name, data }) => ({ name, packed: deflateRawSync(data), size: data.length, crc: crc32(data) })));
}

/**
 * Packed data that unpacks to `head`, then `repeat` MiB of `fill`, then `tail`, built without
 * ever holding the unpacked bytes: a bomb as hostile files are made. Deflate blocks ended by
 * a full flush refer to nothing before them, so one can be repeated; gzip members chain.
 */
export function bomb(kind: 'zip' | 'gzip', head: string, fill: string, repeat: number, tail: string, name = 'bomb.xml'): Buffer {
  const mib = Buffer.from(fill.repeat(Math.ceil((1 << 20) / fill.length)).slice(0, 1 << 20));
  if (kind === 'gzip') {
    const member = gzipSync(mib);
    return Buffer.concat([gzipSync(head), ...Array.from({ length: repeat }, () => member), gzipSync(tail)]);
  }
  const flush = { finishFlush: zlibConstants.Z_FULL_FLUSH };
  const block = deflateRawSync(mib, flush);
  const packed = Buffer.concat([deflateRawSync(Buffer.from(head), flush), ...Array.from({ length: repeat }, () => block), deflateRawSync(Buffer.from(tail))]);
  const size = Buffer.byteLength(head) + repeat * mib.length + Buffer.byteLength(tail);
  return zipOfDeflated([{ name, packed, size: Math.min(size, 0xffffffff), crc: 0 }]);
}

function zipOfDeflated(entries: { name: string; packed: Buffer; size: number; crc: number }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, packed, size, crc } of entries) {
    const nameBuf = Buffer.from(name, 'utf8');
    const data = { length: size };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBuf, packed);
    centrals.push(central, nameBuf);
    offset += local.length + nameBuf.length + packed.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
