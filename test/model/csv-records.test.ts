import fc from 'fast-check';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, parseCsv } from '../../model/index.ts';

/** The CsvSyntaxError `read` throws, as message and line. */
function failure(read: () => unknown): { message: string; line: number } {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(CsvSyntaxError);
    return { message: (error as CsvSyntaxError).message, line: (error as CsvSyntaxError).line };
  }
  throw new Error('it read without complaint');
}

describe('CSV records', () => {
  it('reads back whatever csv-stringify writes, quotes, commas and newlines included', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'ø', ',', '"', '\n', '\r\n', ' ', '1') });
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { maxLength: 6 }), (rows) => {
        const text = stringify(rows, { header: true, columns: ['a', 'b', 'c'] });
        const { header, records } = parseCsv(text);
        expect(header).toEqual(['a', 'b', 'c']);
        expect(records.map((r) => [r.values.a, r.values.b, r.values.c])).toEqual(rows);
      }),
    );
  });

  it('refuses, in the strict dialect, a row not as wide as the header', () => {
    expect(failure(() => parseCsv('a,b\n1,2\n3\n'))).toEqual({ message: '1 values where the header names 2', line: 3 });
  });

  it('reads hand-edited files: BOM, semicolons, padded names and values, blank lines, short rows', () => {
    const text = '\uFEFF From_Account ; To_Account;Description\r\n\r\n1000;1099; "Kasse; bank" \r\n ; ;\r\n2000;2099\r\n';
    const { header, records } = parseCsv(text, { handEdited: true });
    expect(header).toEqual(['from_account', 'to_account', 'description']);
    expect(records).toEqual([
      { line: 3, values: { from_account: '1000', to_account: '1099', description: 'Kasse; bank' } },
      { line: 5, values: { from_account: '2000', to_account: '2099', description: '' } },
    ]);
  });

  it('numbers a record by the line it starts on, even after a quoted line break', () => {
    const { records } = parseCsv('a,b\n1,"two\nlines"\n3,4\n', { handEdited: true });
    expect(records.map((r) => r.line)).toEqual([2, 4]);
  });

  it('names the line of a quote that is never closed, and of a row too wide', () => {
    expect(failure(() => parseCsv('a;b\n1;2\n\n3;"open\n4;5\n', { handEdited: true }))).toEqual({ message: 'a quoted value is never closed', line: 4 });
    expect(failure(() => parseCsv('a;b\n1;2;3\n', { handEdited: true }))).toEqual({ message: '3 values where the header names 2', line: 2 });
    expect(failure(() => parseCsv('  \n', { handEdited: true }))).toEqual({ message: 'the file is empty; it needs a header line', line: 1 });
  });
});
