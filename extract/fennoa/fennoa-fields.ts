// Reading answers whose field names no Fennoa page confirms (notes §2.4–2.5): every row is
// checked against what the connector needs (a missing one fails the stream, naming the path
// and field), what it expects (a missing one is reported once per run, by name) and what it
// merely reads when present; whatever else a row holds is kept in `extra`, or, for the tables
// that have no `extra` column, reported once per run by name.
import type { ImportIssue } from '../../model/index.ts';
import type { StreamEvent } from '../source.ts';

/** An answer the connector cannot read: the sentence names the request and the field. */
export class FennoaShapeError extends Error {
  override readonly name = 'FennoaShapeError';
}

/** The fields of one endpoint's rows. */
export interface RowShape {
  /** As people name the request: `accounting_api/get/accounts`. */
  endpoint: string;
  /** Without one of these a row cannot be read. */
  required: readonly string[];
  /** Read, and reported once per run when absent. */
  expected: readonly string[];
  /** Read when present, never reported. */
  optional?: readonly string[];
  /** Field names read when present by pattern (`dim_1`, `dim_2`…). */
  pattern?: RegExp;
  /** The rows land in a table without an `extra` column: a field nobody reads is reported instead of kept. */
  noExtra?: true;
}

/**
 * Which expected fields were missing in this run: one source serves one run, so each
 * (endpoint, field) is reported once however many rows and slices lack it.
 */
export class FieldReport {
  private readonly seen = new Set<string>();
  private pending: StreamEvent[] = [];

  missing(endpoint: string, field: string, where: string): void {
    const key = `${endpoint} ${field}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const issue: ImportIssue = {
      severity: 'warning',
      code: 'fennoa_missing_field',
      message:
        `Fennoa's answers to ${endpoint} lack the field "${field}" (first on ${where}); what it would hold is left empty. ` +
        'Fennoa may have renamed it: report this message so the connector can follow.',
      location: { file: 'fennoa', path: `${endpoint}/${field}` },
    };
    this.pending.push({ kind: 'issue', issue });
  }

  unread(endpoint: string, field: string, where: string): void {
    const key = `${endpoint} +${field}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const issue: ImportIssue = {
      severity: 'warning',
      code: 'fennoa_unread_field',
      message:
        `Fennoa's answers to ${endpoint} carry a field "${field}" (first on ${where}) that ledgerhouse has no column for; it is not stored. ` +
        'Report this message so the connector can read it.',
      location: { file: 'fennoa', path: `${endpoint}/${field}` },
    };
    this.pending.push({ kind: 'issue', issue });
  }

  /** The fields reported since the last call, as issue events for the stream that yields next. */
  drain(): StreamEvent[] {
    const out = this.pending;
    this.pending = [];
    return out;
  }

  /** Every field reported missing in this run, `endpoint field`. */
  get reported(): string[] {
    return [...this.seen];
  }
}

export type FennoaRow = Record<string, unknown>;

/** A row checked against its shape: the row itself, and the fields the shape does not name. */
export interface ReadRow {
  row: FennoaRow;
  extra: Record<string, unknown> | null;
}

/** The rows of an answer's `data`, checked; `where` names the request (`GET accounting_api/get/accounts`). */
export function readRows(data: unknown, shape: RowShape, report: FieldReport, where: string): ReadRow[] {
  if (!Array.isArray(data)) {
    throw new FennoaShapeError(`Fennoa's answer to ${where} cannot be read: its "data" is ${describe(data)}, not a list of rows. Fennoa may have changed its API; report this message.`);
  }
  const known = new Set([...shape.required, ...shape.expected, ...(shape.optional ?? [])]);
  return data.map((row, i) => {
    if (row === null || typeof row !== 'object' || Array.isArray(row)) {
      throw new FennoaShapeError(`Fennoa's answer to ${where} cannot be read: row ${i + 1} of "data" is ${describe(row)}, not an object. Fennoa may have changed its API; report this message.`);
    }
    const r = row as FennoaRow;
    for (const field of shape.required) {
      if (r[field] === undefined) {
        throw new FennoaShapeError(
          `Fennoa's answer to ${where} cannot be read: row ${i + 1} has no field "${field}", which the connector needs. Fennoa may have changed its API; report this message.`,
        );
      }
    }
    for (const field of shape.expected) if (r[field] === undefined) report.missing(shape.endpoint, field, where);
    let extra: Record<string, unknown> | null = null;
    for (const key in r) {
      if (known.has(key) || shape.pattern?.test(key)) continue;
      (extra ??= {})[key] = r[key];
      if (shape.noExtra) report.unread(shape.endpoint, key, where);
    }
    return { row: r, extra };
  });
}

/** A value as a sentence may name it: `an object`, `the text "x"`, `nothing`. */
export function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the text ${JSON.stringify(value.slice(0, 40))}`;
  return `${typeof value} ${String(value)}`;
}
