import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { BytesBody, StreamBody, textBody } from '../../../sandbox/kit/index.ts';

const collect = async (r: Readable) => {
  const chunks: Buffer[] = [];
  for await (const c of r) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
};

describe('response bodies other than JSON', () => {
  it('encode text as the provider does, stating the charset or not', () => {
    const sie = textBody('#KONTO 3010 "Försäljning"\r\n', { encoding: 'cp437', stateCharset: false });
    expect(sie.contentType).toBe('text/plain');
    expect(Buffer.from(sie.bytes).equals(iconv.encode('#KONTO 3010 "Försäljning"\r\n', 'cp437'))).toBe(true);
    expect(sie.bytes).toContain(0x94); // ö in CP437
    const xml = textBody('<AuditFile/>', { mediaType: 'application/xml' });
    expect(xml.contentType).toBe('application/xml; charset=utf-8');
    expect(() => textBody('x', { encoding: 'no-such' })).toThrow(/unknown encoding "no-such"/);
  });

  it('hold bytes with their type, octet-stream by default', () => {
    expect(new BytesBody(new Uint8Array([1, 2])).contentType).toBe('application/octet-stream');
  });

  it('open a fresh stream for every answer, from a Readable or an iterable', async () => {
    let opened = 0;
    const body = new StreamBody(function* () {
      opened++;
      yield 'a';
      yield new Uint8Array([0x62]);
    }, 'text/csv');
    expect((await collect(body.readable())).toString()).toBe('ab');
    expect((await collect(body.readable())).toString()).toBe('ab');
    expect(opened).toBe(2);
    expect((await collect(new StreamBody(() => Readable.from([Buffer.from('xyz')])).readable())).toString()).toBe('xyz');
  });
});
