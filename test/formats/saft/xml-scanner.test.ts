// The SAF-T reader's XML scanner is held to saxes, a conforming SAX parser: on the
// reference files, a generated company, hand-written XML of every construct and any split
// into chunks, both must report the same elements, attributes, leaf text and lines; on
// malformed XML both must refuse.

import { join } from 'node:path';
import fc from 'fast-check';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { writeSaftFile } from '../../../formats/index.ts';
import { readPartText, resolveSaftParts } from '../../../formats/saft/saft-input.ts';
import { XmlScanner, XmlSyntaxError } from '../../../formats/saft/xml-scanner.ts';
import { generateCompany } from '../../../sandbox/index.ts';
import { TOYEN, WORKSHOP, XMLSPY, tempDir } from './saft-test-utils.ts';

type XmlEvent = ['open', string, string, number, string] | ['text', string] | ['close'];

/**
 * Events as the SAF-T reader sees them: an element with its line and attributes, the text
 * between a start tag and the next tag (joined), and its end.
 */
class EventLog {
  readonly events: XmlEvent[] = [];
  private text: string | null = null;

  open(uri: string, local: string, line: number, attributes: [string, string, string][]): void {
    this.flush();
    const attrs = attributes.map(([name, uri, value]) => `${name}{${uri}}=${value}`).sort().join(' ');
    this.events.push(['open', uri, local, line, attrs]);
    this.text = '';
  }

  addText(t: string): void {
    if (this.text !== null) this.text += t;
  }

  close(): void {
    this.flush();
    this.events.push(['close']);
  }

  private flush(): void {
    if (this.text !== null && this.text !== '') this.events.push(['text', this.text]);
    this.text = null;
  }
}

function withSaxes(chunks: Iterable<string>): XmlEvent[] {
  const log = new EventLog();
  const parser = new SaxesParser({ xmlns: true, position: true });
  parser.on('opentag', (tag) => log.open(tag.uri, tag.local, parser.line, Object.values(tag.attributes).map((a) => [a.name, a.uri, a.value])));
  parser.on('text', (t) => log.addText(t));
  parser.on('cdata', (t) => log.addText(t));
  parser.on('closetag', () => log.close());
  parser.on('error', (e) => {
    throw e;
  });
  for (const c of chunks) parser.write(c);
  parser.close();
  return log.events;
}

function withScanner(chunks: Iterable<string>): XmlEvent[] {
  const log = new EventLog();
  const scanner = new XmlScanner({
    open: (uri, local, _name, attributes, line) => log.open(uri, local, line, (attributes ?? []).map((a) => [a.name, a.uri, a.value])),
    text: (t) => log.addText(t),
    close: () => log.close(),
  });
  for (const c of chunks) scanner.write(c);
  scanner.end();
  return log.events;
}

async function chunksOf(path: string): Promise<string[]> {
  const chunks: string[] = [];
  for (const part of await resolveSaftParts([path])) for await (const c of readPartText(part)) chunks.push(c);
  return chunks;
}

function splitAt(text: string, cuts: number[]): string[] {
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const out: string[] = [];
  let from = 0;
  for (const p of points) {
    out.push(text.slice(from, p));
    from = p;
  }
  out.push(text.slice(from));
  return out;
}

const EVERY_CONSTRUCT = [
  '<?xml version="1.0" encoding="UTF-8"?>\r\n',
  '<!DOCTYPE AuditFile [ <!ELEMENT AuditFile ANY> ]>\n',
  '<!-- a comment with <tags> & ampersands -->\n',
  '<n1:AuditFile xmlns:n1="urn:StandardAuditFile-Taxation-Financial:NO" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"\n',
  '    xsi:schemaLocation="urn:x  file.xsd">\r\n',
  '  <n1:Header><n1:Note>Bjørn &amp; Søn &lt;AS&gt; &#169; &#x263A; &quot;q&quot; &apos;a&apos;</n1:Note>\r\n',
  '    <n1:Empty/><n1:Blank></n1:Blank><n1:Spaced >x</n1:Spaced >\n',
  '    <n1:Cdata><![CDATA[<not a tag> & not an entity]]> and text</n1:Cdata>\n',
  '    <n1:Mixed>before<n1:Child a="1" b=\'two\'\tc = "line\nbreak &amp; tab\there"/>after</n1:Mixed>\n',
  '    <?pi some instruction?><n1:Split>one<!-- c -->two<?p i?>three</n1:Split>\n',
  '    <Other xmlns="urn:other"><Inner xml:lang="nb">inner</Inner></Other>\n',
  '    <n1:Multi\n      attr="x"\n    >multi\r\nline</n1:Multi>\n',
  '  </n1:Header>\n',
  '</n1:AuditFile>\n',
  '<!-- trailing -->\n',
].join('');

describe('XmlScanner', () => {
  it.each([
    ['Tøyen', TOYEN],
    ['xmlSpy', XMLSPY],
    ['workshop', WORKSHOP],
  ])('reports what saxes reports on the %s reference file', async (_name, path) => {
    const chunks = await chunksOf(path);
    const expected = withSaxes(chunks);
    expect(expected.length).toBeGreaterThan(100);
    expect(withScanner(chunks)).toEqual(expected);
  });

  it('reports what saxes reports on every reference example, cut into small chunks', async () => {
    for (const path of [TOYEN, XMLSPY, WORKSHOP]) {
      const text = (await chunksOf(path)).join('');
      const small = splitAt(text, Array.from({ length: Math.ceil(text.length / 97) }, (_, i) => i * 97));
      expect(withScanner(small), path).toEqual(withSaxes([text]));
    }
  });

  it('reports what saxes reports on a generated company', async () => {
    const company = generateCompany({ seed: 7, country: 'NO', linesPerYear: 2_000, years: 1, currentYear: 2025 });
    const path = join(tempDir('xml-scanner'), 'generated.xml');
    await writeSaftFile(company.fiscalYears[0]!, path);
    const chunks = await chunksOf(path);
    const expected = withSaxes(chunks);
    expect(expected.filter((e) => e[0] === 'open' && e[2] === 'Line').length).toBeGreaterThan(1_000);
    expect(withScanner(chunks)).toEqual(expected);
  });

  it('reports what saxes reports for every construct, however the text is split', () => {
    const expected = withSaxes([EVERY_CONSTRUCT]);
    expect(expected).toContainEqual(['text', 'Bjørn & Søn <AS> © ☺ "q" \'a\'']);
    expect(expected).toContainEqual(['text', '<not a tag> & not an entity and text']);
    expect(expected).toContainEqual(['text', 'multi\nline']);
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 12 }), (cuts) => {
        expect(withScanner(splitAt(EVERY_CONSTRUCT, cuts))).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ['a mismatched end tag', '<a><b></a></b>'],
    ['an end tag with no start', '<a></a></b>'],
    ['an unclosed element', '<a><b></b>'],
    ['a truncated tag', '<a><b'],
    ['a truncated attribute', '<a x="1'],
    ['a second root', '<a/><b/>'],
    ['text before the root', 'x<a/>'],
    ['text after the root', '<a/>x'],
    ['no element at all', '  \n'],
    ['an undefined entity', '<a>&nbsp;</a>'],
    ['a bare ampersand', '<a>fish & chips</a>'],
    ['a bad character reference', '<a>&#0;</a>'],
    ['a control character', '<a>\u0001</a>'],
    ['"<" in an attribute', '<a x="<"/>'],
    ['an unquoted attribute', '<a x=1/>'],
    ['a duplicate attribute', '<a x="1" x="2"/>'],
    ['attributes without space', '<a x="1"y="2"/>'],
    ['an unbound prefix', '<p:a/>'],
    ['a name starting with a digit', '<1a/>'],
    ['a stray "<"', '<a>1 < 2</a>'],
    ['a late XML declaration', '<a><?xml version="1.0"?></a>'],
    ['"--" in a comment', '<a><!-- a -- b --></a>'],
    ['"-" ending a comment', '<a><!-- a ---></a>'],
    ['an unclosed comment', '<a><!-- a </a>'],
    ['an unclosed CDATA section', '<a><![CDATA[ a </a>'],
    ['an unclosed processing instruction', '<a><?pi a </a>'],
    ['an unclosed DOCTYPE', '<!DOCTYPE a [ <!ELEMENT a ANY> <a/>'],
    ['an unknown "<!"', '<a><!FOO></a>'],
  ])('refuses %s, as saxes does', (_what, xml) => {
    expect(() => withSaxes([xml])).toThrow();
    for (const chunks of [[xml], xml.split('')]) {
      expect(() => withScanner(chunks)).toThrow(XmlSyntaxError);
    }
  });

  // Each construct is fed as 128 chunks of 64 Ki characters, as a hostile file would arrive:
  // the scanner must hold only a few characters of it, whatever the construct (one that
  // searched its growing buffer again took 31 s on a 64 MB comment; bench/ times the scan).
  const FILLER = 'abcdefgh ijklmnop qrstuvw xyz 012\n'.repeat(2048);
  const CHUNKS = 128;
  it.each([
    ['a comment', '<a><!--', '--></a>'],
    ['a text', '<a>', '</a>'],
    ['a CDATA section', '<a><![CDATA[', ']]></a>'],
    ['a processing instruction', '<a><?pi ', '?></a>'],
    ['a DOCTYPE', '<!DOCTYPE a [ <!-- ', ' --> ]><a/>'],
    ['whitespace', '<a>', '</a>', `${' '.repeat(62)}\r\n`.repeat(1024)],
  ])('scans %s of 8 Mi characters holding only a few of them', (_what, open, close, filler = FILLER) => {
    let texts = 0;
    let maxHeld = 0;
    const scanner = new XmlScanner({ open: () => undefined, text: (t) => (texts += t.length), close: () => undefined }, { maxConstructChars: Infinity });
    scanner.write(open);
    for (let i = 0; i < CHUNKS; i++) {
      scanner.write(filler);
      maxHeld = Math.max(maxHeld, scanner.buffered);
    }
    scanner.write(close);
    scanner.end();
    expect(maxHeld).toBeLessThan(64);
    expect(scanner.line).toBe(1 + CHUNKS * (filler.split('\n').length - 1));
    if (open === '<a>' || open.includes('CDATA')) expect(texts).toBe(CHUNKS * filler.replace(/\r\n/g, '\n').length);
  });

  it.each([
    ['a comment', '<a><!--'],
    ['a text', '<a>'],
    ['a CDATA section', '<a><![CDATA['],
    ['a tag', '<a x="'],
  ])('refuses %s longer than the limit, naming its line', (what, open) => {
    const scanner = new XmlScanner({ open: () => undefined, text: () => undefined, close: () => undefined }, { maxConstructChars: 1 << 20 });
    scanner.write('<r>\n\n');
    const error = (() => {
      try {
        scanner.write(open);
        for (let i = 0; i < 32; i++) scanner.write(FILLER);
      } catch (e) {
        return e as XmlSyntaxError;
      }
      throw new Error('not refused');
    })();
    expect(error).toBeInstanceOf(XmlSyntaxError);
    expect(error.kind).toBe('limit');
    expect(error.message).toMatch(new RegExp(`^${what.split(' ')[1]}|runs on for more than 1048576 characters`));
    expect(error.line).toBeGreaterThan(2);
  });

  it('names the line of the problem', () => {
    const error = (() => {
      try {
        withScanner(['<a>\n<b>\n\n</c>']);
      } catch (e) {
        return e as XmlSyntaxError;
      }
      throw new Error('not refused');
    })();
    expect(error.line).toBe(4);
    expect(error.message).toBe('</c> does not close <b>');
  });
});
