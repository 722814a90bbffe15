// Splits one SIE line into fields (SIE 4B §5.7): separators are runs of spaces/TABs, fields
// may be quoted with `\"` as the only escape, and `{ … }` is an object list (one field).
// A hand-written scanner: it runs once per line of multi-million-line files.

/** A field is text, or the items of an object list (`{1 "456" 7 "47"}` → ['1','456','7','47']). */
export type SieField = string | string[];

export interface SieRecord {
  /** Upper-cased label including `#`, e.g. `#TRANS`. */
  label: string;
  fields: SieField[];
  /** Set when the line broke a lexical rule the scanner recovered from (unclosed quote or object list). */
  problem: string | null;
}

const SPACE = 32;
const TAB = 9;
const CR = 13;
const QUOTE = 34;
const BACKSLASH = 92;
const OPEN = 123;
const CLOSE = 125;

function isSep(c: number): boolean {
  return c === SPACE || c === TAB || c === CR;
}

interface Cursor {
  pos: number;
  problem: string | null;
}

// One cursor reused for every line (the scanner is not re-entrant): saves an allocation per line.
const cursor: Cursor = { pos: 0, problem: null };

/** Reads a quoted field starting at the opening quote; leaves the cursor after the closing one. */
function readQuoted(line: string, cur: Cursor): string {
  const start = cur.pos + 1;
  let i = start;
  let out: string | null = null; // built only when an escape occurs
  let runStart = start;
  const n = line.length;
  while (i < n) {
    const c = line.charCodeAt(i);
    if (c === QUOTE) {
      cur.pos = i + 1;
      return out === null ? line.slice(start, i) : out + line.slice(runStart, i);
    }
    if (c === BACKSLASH && i + 1 < n && line.charCodeAt(i + 1) === QUOTE) {
      out = (out ?? '') + line.slice(runStart, i) + '"';
      i += 2;
      runStart = i;
      continue;
    }
    i++;
  }
  // Unclosed quote: keep the rest of the line as the value rather than losing the record.
  cur.pos = n;
  cur.problem ??= 'a quoted field is not closed';
  let tail = n;
  while (tail > runStart && line.charCodeAt(tail - 1) === CR) tail--;
  return (out ?? '') + line.slice(runStart, tail);
}

/** Reads an unquoted field; inside an object list `}` and `"` also end it. */
function readBare(line: string, cur: Cursor, inList: boolean): string {
  const start = cur.pos;
  let i = start + 1;
  const n = line.length;
  while (i < n) {
    const c = line.charCodeAt(i);
    if (isSep(c)) break;
    if (inList && (c === CLOSE || c === QUOTE || c === OPEN)) break;
    i++;
  }
  cur.pos = i;
  return line.slice(start, i);
}

function readObjectList(line: string, cur: Cursor): string[] {
  const items: string[] = [];
  cur.pos++; // past '{'
  const n = line.length;
  while (cur.pos < n) {
    const c = line.charCodeAt(cur.pos);
    if (isSep(c)) {
      cur.pos++;
    } else if (c === CLOSE) {
      cur.pos++;
      return items;
    } else if (c === QUOTE) {
      items.push(readQuoted(line, cur));
    } else {
      items.push(readBare(line, cur, true));
    }
  }
  cur.problem ??= 'an object list { } is not closed';
  return items;
}

/**
 * Tokenizes a record line. Returns null for a blank line. The label is whatever the first
 * field is (upper-cased); callers decide whether it is a record (`#…`) or a brace line.
 */
export function tokenizeSieLine(line: string): SieRecord | null {
  const cur = cursor;
  cur.pos = 0;
  cur.problem = null;
  const n = line.length;
  const fields: SieField[] = [];
  let label: string | null = null;
  while (cur.pos < n) {
    const c = line.charCodeAt(cur.pos);
    if (isSep(c)) {
      cur.pos++;
      continue;
    }
    let field: SieField;
    if (c === QUOTE) field = readQuoted(line, cur);
    else if (c === OPEN && label !== null) field = readObjectList(line, cur);
    else field = readBare(line, cur, false);
    if (label === null) label = (field as string).toUpperCase();
    else fields.push(field);
  }
  if (label === null) return null;
  return { label, fields, problem: cur.problem };
}

/**
 * The bytes a #KSUMMA checksum covers for one record, as text: label and field contents
 * concatenated, no separators, quotes or braces, `\"` counted as `"` (SIE 4B §10).
 */
export function checksumText(record: SieRecord): string {
  let text = record.label;
  for (const f of record.fields) text += typeof f === 'string' ? f : f.join('');
  return text;
}
