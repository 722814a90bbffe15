// A small RFC 4180 reader for the hand-edited mapping files. Spreadsheets in the Nordics
// save CSV with semicolons, so the delimiter is whichever of `,` and `;` the header uses.

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

/** Splits text into rows of cells; quoted cells may hold delimiters, quotes ("") and newlines. */
function rows(text: string, delimiter: string): { line: number; cells: string[] }[] {
  const out: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        if (c === '\n') line++;
        cell += c;
      }
    } else if (c === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (c === delimiter) {
      cells.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      out.push({ line: rowLine, cells });
      cells = [];
      cell = '';
      line++;
      rowLine = line;
    } else {
      cell += c;
    }
  }
  if (quoted) throw new CsvSyntaxError('a quoted value is never closed', rowLine);
  if (cell !== '' || cells.length > 0) {
    cells.push(cell);
    out.push({ line: rowLine, cells });
  }
  return out;
}

/** Records keyed by the header's (trimmed, lower-cased) names; blank lines are skipped. */
export function parseCsv(text: string): { header: string[]; records: CsvRecord[] } {
  const body = text.replace(/^\uFEFF/, '');
  const firstLine = body.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const all = rows(body, delimiter).filter((r) => r.cells.some((c) => c.trim() !== ''));
  const head = all.shift();
  if (!head) throw new CsvSyntaxError('the file is empty; it needs a header line', 1);
  const header = head.cells.map((c) => c.trim().toLowerCase());
  const records = all.map(({ line, cells }) => {
    if (cells.length > header.length) throw new CsvSyntaxError(`${cells.length} values where the header names ${header.length}`, line);
    const values: Record<string, string> = {};
    header.forEach((name, i) => (values[name] = (cells[i] ?? '').trim()));
    return { line, values };
  });
  return { header, records };
}
