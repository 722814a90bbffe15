import { describe, expect, it } from 'vitest';
import { BatchBuilder, daysToDate } from '../../transform/index.ts';
import { type ColumnSpec } from '../../model/index.ts';

const specs: ColumnSpec[] = [
  { name: 'text', kind: 'utf8' },
  { name: 'amount', kind: 'money' },
  { name: 'day', kind: 'date' },
  { name: 'flag', kind: 'bool' },
  { name: 'extra', kind: 'json' },
];

describe('batch builder', () => {
  it('encodes every kind of text exactly, with nulls where values are missing', () => {
    const texts = ['plain', 'Ærlig Åse Øvreås', 'emoji 🧾 and ß', '', null, 'lone \ud800 surrogate', 'x'.repeat(1000), `long ${'ø'.repeat(40)} \ud800 🧾`];
    const builder = new BatchBuilder(specs, 4);
    const batches = [];
    texts.forEach((t, i) => {
      builder.appendRow([t, i % 2 ? BigInt(-i) : null, i % 3 ? '2024-02-29' : null, i % 2 === 0, i === 1 ? { note: 'kept', n: 1n } : null]);
      if (builder.full) batches.push(builder.flush()!);
    });
    const last = builder.flush();
    if (last) batches.push(last);
    const rows = batches.flatMap((b) => b.toArray().map((r) => r.toJSON()));
    expect(rows.map((r) => r.text)).toEqual(texts.map((t) => (t === null ? null : Buffer.from(t).toString())));
    expect(rows.map((r) => r.amount)).toEqual(texts.map((_, i) => (i % 2 ? BigInt(-i) : null)));
    expect(rows.map((r) => (r.day === null ? null : daysToDate(Number(r.day) / 86_400_000)))).toEqual(texts.map((_, i) => (i % 3 ? '2024-02-29' : null)));
    expect(rows.map((r) => r.flag)).toEqual(texts.map((_, i) => i % 2 === 0));
    expect(rows[1]!.extra).toBe('{"note":"kept","n":"1"}');
  });

  it('keeps two lone surrogates in neighbouring rows apart', () => {
    const builder = new BatchBuilder([{ name: 'text', kind: 'utf8' }]);
    builder.appendRow(['high \ud83e']);
    builder.appendRow(['\uddfe low']);
    const rows = builder.flush()!.toArray().map((r) => r.toJSON().text);
    expect(rows).toEqual(['high \ufffd', '\ufffd low']);
  });
});
