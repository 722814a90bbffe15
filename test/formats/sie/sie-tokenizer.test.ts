import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSieAmount } from '../../../formats/sie/sie-amount.ts';
import { crc32, parseChecksumField } from '../../../formats/sie/sie-checksum.ts';
import { parseSieDate, parseSiePeriod } from '../../../formats/sie/sie-dates.ts';
import { EncodingSniffer } from '../../../formats/sie/sie-decoding.ts';
import { checksumText, tokenizeSieLine } from '../../../formats/sie/sie-tokenizer.ts';
import { parseMoney } from '../../../model/index.ts';

function fields(line: string) {
  const r = tokenizeSieLine(line);
  if (!r) throw new Error('blank');
  return [r.label, ...r.fields];
}

describe('tokenizeSieLine (SIE 4B §5.7, notes §3/§7)', () => {
  it('returns null for blank and whitespace-only lines', () => {
    expect(tokenizeSieLine('')).toBeNull();
    expect(tokenizeSieLine(' \t \r')).toBeNull();
  });

  it('splits on runs of spaces and TABs, not on single spaces only', () => {
    expect(fields('#FLAGGA\t\t0')).toEqual(['#FLAGGA', '0']);
    expect(fields('#RAR     0  20120101 20121231')).toEqual(['#RAR', '0', '20120101', '20121231']);
    expect(fields('\t#TRANS\t1930 {}     -18919    20100524 BE')).toEqual(['#TRANS', '1930', [], '-18919', '20100524', 'BE']);
  });

  it('upper-cases the label and drops a trailing CR (CRLF files)', () => {
    expect(fields('#konto 1930 "Bank"\r')).toEqual(['#KONTO', '1930', 'Bank']);
  });

  it('reads quoted fields with spaces, empty quoted fields and escaped quotes', () => {
    expect(fields('#VER "" "" 20080101 "Porto"')).toEqual(['#VER', '', '', '20080101', 'Porto']);
    expect(fields('#VER "K" "" 20180502 "Försäljning 25% \\"DF:157\\""  20180503')).toEqual([
      '#VER', 'K', '', '20180502', 'Försäljning 25% "DF:157"', '20180503',
    ]);
    expect(fields('#PROGRAM "Visma Administration \\"2000\\" med Visma Integration" 2022.2')).toEqual([
      '#PROGRAM', 'Visma Administration "2000" med Visma Integration', '2022.2',
    ]);
  });

  it('keeps backslashes that do not escape a quote (Windows paths in #FNR)', () => {
    expect(fields('#FNR "C:\\ProgramData\\SPCS\\F÷retag\\Ovnbol2000"')).toEqual(['#FNR', 'C:\\ProgramData\\SPCS\\F÷retag\\Ovnbol2000']);
  });

  it('reads unquoted words one field each (unquoted multi-word #FNAMN)', () => {
    expect(fields('#FNAMN Övningsbolaget AB')).toEqual(['#FNAMN', 'Övningsbolaget', 'AB']);
    expect(fields('#KONTO 1060 Hyresrätt')).toEqual(['#KONTO', '1060', 'Hyresrätt']);
  });

  it('survives the odd #PROSA line of SIE4_Exempelfil (stray quotes and tabs)', () => {
    const r = tokenizeSieLine('#PROSA  \\"muu\\"\t\t\t123\t hej"citat  sträng4 sträng5');
    expect(r?.fields).toEqual(['\\"muu\\"', '123', 'hej"citat', 'sträng4', 'sträng5']);
    expect(r?.problem).toBeNull();
  });

  it('flags an unclosed quote but keeps the rest of the line', () => {
    const r = tokenizeSieLine('#FNAMN "Bolaget AB');
    expect(r?.fields).toEqual(['Bolaget AB']);
    expect(r?.problem).toMatch(/quoted field is not closed/);
  });

  it('reads every object-list spelling as one field', () => {
    expect(fields('#TRANS 1510 {} 1063')).toEqual(['#TRANS', '1510', [], '1063']);
    expect(fields('#TRANS 1510 { } 1063')).toEqual(['#TRANS', '1510', [], '1063']);
    expect(fields('#TRANS 1510 {  } 1063')).toEqual(['#TRANS', '1510', [], '1063']);
    expect(fields('#TRANS 1510 {1 "456" 7 "47"} 10')).toEqual(['#TRANS', '1510', ['1', '456', '7', '47'], '10']);
    expect(fields('#TRANS 9999  { "1" "1100" "6" "1118"} 5367')).toEqual(['#TRANS', '9999', ['1', '1100', '6', '1118'], '5367']);
    expect(fields('#TRANS\t1510\t{8 "30083"\t1 "2"\t10 "12"}\t376313.00')).toEqual([
      '#TRANS', '1510', ['8', '30083', '1', '2', '10', '12'], '376313.00',
    ]);
    expect(fields('#TRANS 3010 {1 2} -5')).toEqual(['#TRANS', '3010', ['1', '2'], '-5']);
    expect(fields('#OBJEKT 6 "Å1" "årsta"')).toEqual(['#OBJEKT', '6', 'Å1', 'årsta']);
  });

  it('flags an object list that is not closed', () => {
    const r = tokenizeSieLine('#TRANS 1510 {1 "2" 100');
    expect(r?.problem).toMatch(/object list/);
  });

  it('reads brace lines as labels', () => {
    expect(fields('{')).toEqual(['{']);
    expect(fields('  }  ')).toEqual(['}']);
  });

  it('gives the checksum text: labels and contents, no separators, quotes or braces', () => {
    const r = tokenizeSieLine('#TRANS\t1930 {1 "a\\"b"}  -18919    20100524 ""')!;
    expect(checksumText(r)).toBe('#TRANS19301a"b-1891920100524');
  });
});

describe('checksum and dates', () => {
  it('computes the standard CRC-32 check value', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('accepts signed and unsigned #KSUMMA values', () => {
    expect(parseChecksumField('854227682')).toBe(854227682);
    expect(parseChecksumField('-1')).toBe(0xffffffff);
    expect(parseChecksumField('12a')).toBeNull();
  });

  it('parses only real YYYYMMDD dates and YYYYMM periods', () => {
    expect(parseSieDate('20100105')).toBe('2010-01-05');
    expect(parseSieDate('20120229')).toBe('2012-02-29');
    expect(parseSieDate('20110229')).toBeNull();
    expect(parseSieDate('2010-01-05')).toBeNull();
    expect(parseSieDate('20101301')).toBeNull();
    expect(parseSiePeriod('201101')).toBe('2011-01-01');
    expect(parseSiePeriod('201113')).toBeNull();
  });
});

describe('encoding detection', () => {
  const sniff = (bytes: number[] | Buffer) => {
    const s = new EncodingSniffer();
    s.push(Buffer.from(bytes as number[]));
    return s.finish();
  };
  it('takes valid UTF-8 with non-ASCII as UTF-8', () => {
    expect(sniff(Buffer.from('#FNAMN "Övningsföretaget AB"\n', 'utf8'))).toBe('utf-8');
  });
  it('takes CP437 Swedish letters as CP437, also with one stray Latin-1 byte', () => {
    // "Föråd" in CP437 plus one Latin-1 ö (0xF6)
    expect(sniff([0x46, 0x94, 0x72, 0x86, 0x64, 0x20, 0xf6])).toBe('cp437');
  });
  it('takes Latin-1 Swedish letters as windows-1252', () => {
    expect(sniff([0x46, 0xf6, 0x72, 0xe5, 0x64, 0x20, 0xe4])).toBe('windows-1252');
  });
  it('takes pure ASCII as CP437 (the spec encoding)', () => {
    expect(sniff(Buffer.from('#FLAGGA 0\n'))).toBe('cp437');
  });
  it('keeps a UTF-8 sequence split across chunks valid', () => {
    const bytes = Buffer.from('ö', 'utf8');
    const s = new EncodingSniffer();
    s.push(bytes.subarray(0, 1));
    s.push(bytes.subarray(1));
    expect(s.finish()).toBe('utf-8');
  });
});

describe('parseSieAmount (fast path) agrees with parseMoney', () => {
  it('on hand-picked amounts', () => {
    for (const t of ['0', '-0.5', '3390000', '12.50', '1.', '.5', '-', '', '1,00', '+3', '12.345', '12.340', '99999999999999.99', '1234567890123456789.12', ' 5 ']) {
      expect(parseSieAmount(t), t).toBe(parseMoney(t));
    }
  });
  it('on random digit strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789.-+ ,'.split('')), maxLength: 22 }), (t) => {
        expect(parseSieAmount(t)).toBe(parseMoney(t));
      }),
      { numRuns: 3000 },
    );
  });
});
