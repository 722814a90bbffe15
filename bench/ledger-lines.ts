// Realistic `ledger_line` rows for the load-path benchmark, deterministic from a seed: one
// Norwegian company's year of vouchers (2–6 balanced lines each), with the mix of nulls,
// parties, dimensions, foreign currency and non-ASCII descriptions a real SAF-T import has.
// The same rows are written as CSV for DuckDB's read_csv floor.

import { type CellValue } from '../transform/index.ts';
import { epochDay, isoOf, unifiedTables, writeStreamAtomically } from '../model/index.ts';

export const ORG_ID = 'bench-nordlys-as';
/** The import run that wrote the lines, for schemas that tag lines with it. */
const RUN_ID = '5d0f3c52-8a8e-4c1e-9b61-0c5f7e2a9d41';
const YEAR = 2025;
const FISCAL_YEAR_START = `${YEAR}-01-01`;

const JOURNALS = ['GL', 'AR', 'AP', 'BANK', 'PAY'] as const;
const ACCOUNTS = ['1500', '1920', '2400', '2700', '2710', '2770', '2780', '3000', '3100', '4000', '5000', '5400', '6300', '6340', '6800', '6900', '7140', '7320', '7770', '8050'];
const VAT = [null, null, '1', '3', '3', '5', '11', '14'];
const CUSTOMERS = ['Bygg og Anlegg Øst AS', 'Fjordkraft Rørlegger AS', 'Sørlandets Trelast', 'Hågensen & Sønn ANS', 'Tøyen Kafé', 'Ålesund Møbler AS'];
const SUPPLIERS = ['Kontorrekvisita Nord AS', 'Telenor Norge AS', 'Ølen Transport', 'Bærum Regnskap', 'Strøm & Lys Vest AS'];
const TEXTS = [
  'Salg av varer',
  'Kjøp av kontorrekvisita',
  'Husleie lokaler, Grønland 12',
  'Lønn, ansatte – desember',
  'Arbeidsgiveravgift 2. termin',
  'Innbetaling fra kunde',
  'Bankgebyr',
  'Reiseutgifter Bodø–Tromsø, «kundebesøk»',
  'Merverdiavgift, oppgjør',
  'Strøm og oppvarming',
];

/** mulberry32: small, fast and deterministic. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Each day of the year as `YYYY-MM-DD`, made once: a Date per line was a fifth of the generator. */
const isoDays = Array.from({ length: 366 }, (_, day) => isoOf(epochDay(YEAR, 1, 1) + day));

type Line = Record<string, CellValue>;

/**
 * Rows in `unifiedTables.ledger_line` column order, whatever that order is: values are made
 * by column name, and a column this generator does not know gets null (a NOT NULL one then
 * fails loudly on both sides of the benchmark).
 */
export function* ledgerLineRows(count: number, seed = 7): Generator<CellValue[]> {
  const names = unifiedTables.ledger_line.map((c) => c.name);
  // Every line has its fields in one order, so each column's position among them is found
  // once (looking each value up by name was a megamorphic property load per cell).
  let positions: number[] | undefined;
  for (const line of ledgerLines(count, seed)) {
    const values = Object.values(line);
    positions ??= names.map((n) => Object.keys(line).indexOf(n));
    yield positions.map((p) => (p < 0 ? null : values[p]!));
  }
}

function* ledgerLines(count: number, seed: number): Generator<Line> {
  const next = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  let made = 0;
  for (let number = 100_000; made < count; number++) {
    const journal = pick(JOURNALS);
    const voucherId = `${YEAR}/${journal}/${number}`;
    const date = isoDays[Math.floor((made / count) * 365)]!;
    const lines = Math.min(2 + Math.floor(next() * 5), count - made);
    const customer = next() < 0.5;
    const parties = customer ? CUSTOMERS : SUPPLIERS;
    const partyIndex = next() < 0.6 ? Math.floor(next() * parties.length) : -1;
    const party = partyIndex < 0 ? null : parties[partyIndex]!;
    const partyId = party === null ? null : `${customer ? 'K' : 'L'}${10_001 + partyIndex}`;
    const text = next() < 0.15 ? null : `${pick(TEXTS)}${party ? ` – ${party}` : ''}${next() < 0.5 ? ` (faktura ${number})` : ''}`;
    const foreign = next() < 0.03;
    let balance = 0n;
    for (let line = 1; line <= lines; line++) {
      const last = line === lines;
      const amount = last ? -balance : BigInt(Math.round((next() - 0.45) * 2_500_000));
      balance += amount;
      made++;
      yield {
        org_id: ORG_ID,
        voucher_id: voucherId,
        line_no: line,
        account_id: pick(ACCOUNTS),
        amount,
        currency: foreign ? 'EUR' : null,
        currency_amount: foreign ? amount / 11n : null,
        vat_code: pick(VAT),
        description: text,
        party_type: party === null ? null : customer ? 'customer' : 'supplier',
        party_id: partyId,
        department_id: next() < 0.3 ? String(10 + Math.floor(next() * 5) * 10) : null,
        project_id: next() < 0.1 ? `P-${2000 + Math.floor(next() * 40)}` : null,
        cost_center_id: null,
        fiscal_year_start: FISCAL_YEAR_START,
        voucher_date: date,
        extra: next() < 0.05 ? { record: `${journal}-${number}-${line}`, source_line: line } : null,
        run_id: RUN_ID,
      };
    }
  }
}

const duckdbTypes: Record<string, string> = {
  utf8: 'VARCHAR',
  json: 'VARCHAR',
  int32: 'INTEGER',
  int64: 'BIGINT',
  money: 'DECIMAL(18,2)',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  bool: 'BOOLEAN',
  rate: 'DECIMAL(18,4)',
};

/** The `columns={…}` struct for read_csv, matching the ledger_line table. */
export function ledgerLineCsvColumns(): string {
  return `{${unifiedTables.ledger_line.map((c) => `'${c.name}': '${duckdbTypes[c.kind]}'`).join(', ')}}`;
}

function csvField(value: CellValue, kind: string): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (kind === 'money') {
    const minor = value as bigint;
    const digits = (minor < 0n ? -minor : minor).toString().padStart(3, '0');
    text = `${minor < 0n ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
  } else if (typeof value === 'object') text = JSON.stringify(value);
  else text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Writes the rows as CSV with a header, atomically (temp file, then rename). */
export async function writeLedgerLinesCsv(path: string, count: number): Promise<void> {
  const specs = unifiedTables.ledger_line;
  // Chunks of about a megabyte: a write per line would dominate the generator.
  function* chunks(): Generator<string> {
    let buffer = `${specs.map((c) => c.name).join(',')}\n`;
    for (const row of ledgerLineRows(count)) {
      buffer += `${row.map((v, i) => csvField(v, specs[i]!.kind)).join(',')}\n`;
      if (buffer.length > 1 << 20) {
        yield buffer;
        buffer = '';
      }
    }
    yield buffer;
  }
  await writeStreamAtomically(path, chunks());
}
