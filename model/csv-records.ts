// CSV read into records keyed by the header, on csv-parse (RFC 4180: quoted values may hold
// delimiters, doubled quotes and newlines). Two dialects: the files the project writes itself,
// read strictly, and hand-edited files (the account mappings), read forgivingly.
import { CsvError, parse } from 'csv-parse/sync';

export interface CsvRecord {
  /** 1-based line of the record's first character, for error messages. */
  line: number;
  values: Record<string, string>;
}

export class CsvSyntaxError extends Error {
  override readonly name = 'CsvSyntaxError';
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

export interface CsvReadOptions {
  /**
   * A file people edit in a spreadsheet: a BOM is dropped, the delimiter is whichever of `,`
   * and `;` the header uses more (Nordic spreadsheets save with semicolons), names are
   * trimmed and lower-cased, values trimmed, blank lines skipped, and a row may stop short.
   * Otherwise the text is comma-separated and every row has exactly the header's values.
   */
  handEdited?: boolean;
}

export function parseCsv(text: string, options: CsvReadOptions = {}): { header: string[]; records: CsvRecord[] } {
  const lenient = options.handEdited === true;
  const body = lenient ? text.replace(/^\uFEFF/, '') : text;
  const firstLine = body.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = lenient && (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  let rows: { info: { lines: number }; record: string[] }[];
  try {
    rows = parse(body, {
      delimiter,
      info: true,
      relax_column_count: true,
      ...(lenient ? { trim: true, relax_quotes: true, skip_empty_lines: true, skip_records_with_empty_values: true } : {}),
    }) as unknown as typeof rows; // `info: true` shapes each row, which the spread options hide from the types
  } catch (error) {
    throw syntaxError(error, body);
  }
  const all = rows.map(({ info, record }) => ({ line: info.lines - newlinesIn(record), cells: record }));
  const head = all.shift();
  if (!head) {
    if (lenient) throw new CsvSyntaxError('the file is empty; it needs a header line', 1);
    return { header: [], records: [] };
  }
  const header = lenient ? head.cells.map((c) => c.trim().toLowerCase()) : head.cells;
  const records = all.map(({ line, cells }) => {
    if (cells.length > header.length || (!lenient && cells.length !== header.length)) {
      throw new CsvSyntaxError(`${cells.length} values where the header names ${header.length}`, line);
    }
    const values: Record<string, string> = {};
    header.forEach((name, i) => (values[name] = lenient ? (cells[i] ?? '').trim() : cells[i]!));
    return { line, values };
  });
  return { header, records };
}

/** `info.lines` is where a record ends; a quoted value's own line breaks lie before it. */
function newlinesIn(cells: string[]): number {
  let n = 0;
  for (const c of cells) n += c.match(/\r\n|\r|\n/g)?.length ?? 0;
  return n;
}

function syntaxError(error: unknown, body: string): unknown {
  if (!(error instanceof CsvError)) return error;
  const context = error as CsvError & { bytes_records?: number; lines?: number };
  if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
    // Name the line where the unclosed record starts: after the last whole record and any blank lines.
    const done = Buffer.from(body).subarray(0, context.bytes_records ?? 0).toString();
    const rest = body.slice(done.length).match(/^(?:[ \t]*(?:\r\n|\r|\n))*/)![0];
    return new CsvSyntaxError('a quoted value is never closed', (done + rest).split(/\r\n|\r|\n/).length);
  }
  return new CsvSyntaxError(error.message.replace(/^[^:]*: /, '').replace(/\.$/, ''), context.lines ?? 1);
}
