// A streaming XML scanner for large machine-written files such as SAF-T. It checks what makes
// XML well-formed (tag nesting, names, quoting, entities, allowed characters, one root,
// namespace prefixes) but, unlike a general SAX parser, finds each construct with native
// `indexOf` and reports only what the SAF-T reader uses: elements, their attributes, and
// the text directly inside an element before its first child. That makes it several times
// faster than saxes, which walks the file one character at a time; test/extract/
// xml-scanner.test.ts holds it to saxes' events on the reference files.

export interface XmlAttribute {
  /** As written, with its prefix. */
  name: string;
  local: string;
  uri: string;
  value: string;
}

export interface XmlHandler {
  /** An element starts; `line` is the line its start tag ends on. */
  open(uri: string, local: string, name: string, attributes: XmlAttribute[] | null, line: number): void;
  /**
   * Character data that follows a start tag, up to the next tag (entities and CDATA
   * resolved; may come in pieces). Text after an end tag belongs to mixed content, which
   * no record uses, so it is checked but not reported.
   */
  text(text: string): void;
  close(): void;
}

export class XmlSyntaxError extends Error {
  override readonly name = 'XmlSyntaxError';
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

// ASCII name characters: 1 may start a name, 2 may only continue one.
const NAME = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z_:]/.test(ch)) NAME[c] = 1;
  else if (/[0-9.-]/.test(ch)) NAME[c] = 2;
}
// Beyond ASCII the XML name ranges are approximated: letters of every script are accepted,
// the Latin-1 punctuation and the × ÷ signs are not.
const isNameStart = (c: number) => (c < 128 ? NAME[c] === 1 : c >= 0xc0 && c !== 0xd7 && c !== 0xf7 && c < 0xfffe);
const isNameChar = (c: number) => (c < 128 ? NAME[c] !== 0 : c === 0xb7 || (c >= 0xc0 && c !== 0xd7 && c !== 0xf7 && c < 0xfffe));
const isSpace = (c: number) => c === 32 || c === 10 || c === 9 || c === 13;

interface Scope {
  defaultNs: string;
  prefixes: Map<string, string>;
}

/** Characters XML allows nowhere, not even escaped in a comment. */
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
/** Distinct plain start tags remembered (a SAF-T file has well under a hundred). */
const PLAIN_NAMES_MAX = 4096;

export class XmlScanner {
  /** The line of the position read up to, counted from 1 (by line feeds). */
  line = 1;
  private rest = '';
  /** The text being scanned, and the next line feed in it not yet counted. */
  private s = '';
  private nextLineFeed = -1;
  private started = false;
  private root: 'before' | 'inside' | 'after' = 'before';
  private afterOpen = false;
  private readonly names: string[] = [];
  /** Per open element: the namespace scope it replaced, or null when it declared none. */
  private readonly scopes: (Scope | null)[] = [];
  private scope: Scope = { defaultNs: '', prefixes: new Map([['xml', XML_NS], ['xmlns', XMLNS_NS]]) };
  /** Prefixed names resolved in the current scope. */
  private readonly resolved = new Map<string, { uri: string; local: string }>();
  /**
   * Start tags seen before that are just a valid name (`<Amount>`), so the next one needs
   * no character-by-character look; the map also hands out one string per name.
   */
  private readonly plainNames = new Map<string, string>();

  constructor(private readonly handler: XmlHandler) {}

  write(chunk: string): void {
    this.begin(this.rest === '' ? chunk : this.rest + chunk, this.rest.length);
    const stop = this.scan(false);
    this.countLinesTo(stop);
    this.rest = stop < this.s.length ? this.s.slice(stop) : '';
    this.s = '';
  }

  /** The input is complete: anything left open is an error. */
  end(): void {
    this.begin(this.rest, 0);
    this.rest = '';
    this.scan(true);
    this.countLinesTo(this.s.length);
    this.s = '';
    const open = this.names[this.names.length - 1];
    if (open !== undefined) throw this.error(`the file ends inside <${open}>`);
    if (this.root === 'before') throw this.error('the file holds no element');
  }

  /** `checkFrom`: where the text not yet checked for forbidden characters starts. */
  private begin(s: string, checkFrom: number): void {
    this.s = s;
    this.nextLineFeed = s.indexOf('\n');
    const forbidden = FORBIDDEN.exec(checkFrom === 0 ? s : s.slice(checkFrom));
    if (forbidden !== null) {
      const at = checkFrom + forbidden.index;
      throw this.error(`the character U+${s.charCodeAt(at).toString(16).toUpperCase().padStart(4, '0')} is not allowed in XML`, at);
    }
  }

  private countLinesTo(position: number): void {
    const s = this.s;
    let lf = this.nextLineFeed;
    if (lf === -1 || lf >= position) return;
    let line = this.line;
    while (lf !== -1 && lf < position) {
      line++;
      lf = s.indexOf('\n', lf + 1);
    }
    this.line = line;
    this.nextLineFeed = lf;
  }

  /** Handles everything complete in the text; returns where its incomplete remainder starts. */
  private scan(final: boolean): number {
    const s = this.s;
    const n = s.length;
    let pos = 0;
    while (pos < n) {
      const lt = s.indexOf('<', pos);
      if (lt === -1) {
        // Text may go on in the next chunk; it is handled once its end is seen.
        if (!final) return pos;
        this.segment(pos, n);
        return n;
      }
      if (lt > pos) this.segment(pos, lt);
      const c = s.charCodeAt(lt + 1);
      const end = c === 47 ? this.closeTag(lt) : c === 33 ? this.markup(lt) : c === 63 ? this.instruction(lt) : this.openTag(lt);
      if (end < 0) {
        if (final) throw this.error('the file ends inside a tag', lt);
        return lt;
      }
      this.started = true;
      pos = end;
    }
    return n;
  }

  /** Character data between two constructs: reported when it may be a leaf's text. */
  private segment(start: number, end: number): void {
    this.started = true;
    if (this.names.length === 0) {
      const text = this.s.slice(start, end);
      const other = /[^ \t\r\n]/.exec(text);
      if (other !== null) throw this.error(this.root === 'before' ? 'text before the root element' : 'text after the end of the root element', start + other.index);
    } else if (this.afterOpen) {
      const raw = this.s.slice(start, end);
      this.handler.text(raw.includes('&') || raw.includes('\r') ? this.resolveText(raw, start) : raw);
    }
  }

  private openTag(lt: number): number {
    const s = this.s;
    const gt = s.indexOf('>', lt + 1);
    if (gt === -1) return -1;
    const plain = this.plainNames.get(s.slice(lt + 1, gt));
    if (plain !== undefined) {
      this.countLinesTo(gt);
      this.startElement(plain, null);
      return gt + 1;
    }
    return this.openTagSlowly(lt);
  }

  /** A start tag with attributes, an empty-element tag, or a name not seen before. */
  private openTagSlowly(lt: number): number {
    const s = this.s;
    const n = s.length;
    let i = lt + 1;
    if (i >= n) return -1;
    let c = s.charCodeAt(i);
    if (!isNameStart(c)) throw this.error(`"<" is not followed by an element name (write a literal "<" as &lt;)`, lt);
    i++;
    while (i < n && isNameChar(s.charCodeAt(i))) i++;
    if (i >= n) return -1;
    const name = s.slice(lt + 1, i);
    let attributes: string[] | null = null;
    let empty = false;
    for (;;) {
      c = s.charCodeAt(i);
      if (c === 62) {
        i++;
        break;
      }
      if (c === 47) {
        if (i + 1 >= n) return -1;
        if (s.charCodeAt(i + 1) !== 62) throw this.error(`"/" inside <${name}> is not followed by ">"`, i);
        empty = true;
        i += 2;
        break;
      }
      if (!isSpace(c)) throw this.error(`<${name}> has "${s[i]}" where whitespace, an attribute or ">" must follow`, i);
      while (i < n && isSpace(s.charCodeAt(i))) i++;
      if (i >= n) return -1;
      c = s.charCodeAt(i);
      if (c === 62 || c === 47) continue;
      // An attribute: name = "value"
      const nameStart = i;
      if (!isNameStart(c)) throw this.error(`<${name}> has "${s[i]}" where an attribute name must start`, i);
      while (i < n && isNameChar(s.charCodeAt(i))) i++;
      const attribute = s.slice(nameStart, i);
      while (i < n && isSpace(s.charCodeAt(i))) i++;
      if (i >= n) return -1;
      if (s.charCodeAt(i) !== 61) throw this.error(`the attribute ${attribute} of <${name}> has no "=" and value`, i);
      i++;
      while (i < n && isSpace(s.charCodeAt(i))) i++;
      if (i >= n) return -1;
      c = s.charCodeAt(i);
      if (c !== 34 && c !== 39) throw this.error(`the value of the attribute ${attribute} of <${name}> is not in quotes`, i);
      const close = s.indexOf(c === 34 ? '"' : "'", i + 1);
      if (close === -1) return -1;
      const raw = s.slice(i + 1, close);
      if (raw.includes('<')) throw this.error(`the value of the attribute ${attribute} holds "<" (write it as &lt;)`, i);
      (attributes ??= []).push(attribute, this.normaliseAttribute(raw, i));
      i = close + 1;
      if (i >= n) return -1;
      c = s.charCodeAt(i);
      if (!isSpace(c) && c !== 62 && c !== 47) throw this.error(`the attributes of <${name}> are not separated by whitespace`, i);
    }
    if (attributes === null && !empty && i === lt + name.length + 2 && this.plainNames.size < PLAIN_NAMES_MAX) this.plainNames.set(name, name);
    this.countLinesTo(i - 1);
    this.startElement(name, attributes);
    if (empty) this.endElement();
    return i;
  }

  private startElement(name: string, raw: string[] | null): void {
    if (this.root === 'after') throw this.error(`<${name}> follows the end of the root element (a file has one root)`);
    this.root = 'inside';
    let replaced: Scope | null = null;
    let attributes: XmlAttribute[] | null = null;
    if (raw !== null) {
      for (let k = 0; k < raw.length; k += 2) {
        const an = raw[k]!;
        if (an !== 'xmlns' && !an.startsWith('xmlns:')) continue;
        if (replaced === null) {
          replaced = this.scope;
          this.scope = { defaultNs: replaced.defaultNs, prefixes: new Map(replaced.prefixes) };
          this.resolved.clear();
        }
        const value = raw[k + 1]!;
        if (an === 'xmlns') this.scope.defaultNs = value;
        else if (value === '') throw this.error(`<${name}> declares the prefix ${an.slice(6)} with an empty namespace`);
        else this.scope.prefixes.set(an.slice(6), value);
      }
      attributes = [];
      const seen = new Set<string>();
      for (let k = 0; k < raw.length; k += 2) {
        const an = raw[k]!;
        if (seen.has(an)) throw this.error(`<${name}> has the attribute ${an} twice`);
        seen.add(an);
        const colon = an.indexOf(':');
        if (colon === -1) attributes.push({ name: an, local: an, uri: an === 'xmlns' ? XMLNS_NS : '', value: raw[k + 1]! });
        else attributes.push({ name: an, local: an.slice(colon + 1), uri: this.namespaceOf(an.slice(0, colon), an), value: raw[k + 1]! });
      }
    }
    this.names.push(name);
    this.scopes.push(replaced);
    this.afterOpen = true;
    if (name.indexOf(':') === -1) this.handler.open(this.scope.defaultNs, name, name, attributes, this.line);
    else {
      let r = this.resolved.get(name);
      if (r === undefined) {
        const colon = name.indexOf(':');
        this.resolved.set(name, (r = { uri: this.namespaceOf(name.slice(0, colon), name), local: name.slice(colon + 1) }));
      }
      this.handler.open(r.uri, r.local, name, attributes, this.line);
    }
  }

  private namespaceOf(prefix: string, name: string): string {
    const uri = this.scope.prefixes.get(prefix);
    if (uri === undefined) throw this.error(`the prefix of ${name} is not bound to a namespace (no xmlns:${prefix} declaration)`);
    return uri;
  }

  private closeTag(lt: number): number {
    const s = this.s;
    const open = this.names[this.names.length - 1];
    // Nearly always `</Name>` exactly: checked in place, without looking for the ">".
    if (open !== undefined && s.charCodeAt(lt + 2 + open.length) === 62 && s.startsWith(open, lt + 2)) {
      this.endElement();
      return lt + 3 + open.length;
    }
    const gt = s.indexOf('>', lt + 2);
    if (gt === -1) return -1;
    const nameEnd = lt + 2 + (open?.length ?? 0);
    if (open === undefined || !s.startsWith(open, lt + 2) || (nameEnd !== gt && /[^ \t\r\n]/.test(s.slice(nameEnd, gt)))) {
      const written = s.slice(lt + 2, gt).trim();
      throw this.error(open === undefined ? `</${written}> closes no element` : `</${written}> does not close <${open}>`, lt);
    }
    this.endElement();
    return gt + 1;
  }

  private endElement(): void {
    this.names.pop();
    const replaced = this.scopes.pop();
    this.afterOpen = false;
    this.handler.close();
    if (replaced) {
      this.scope = replaced;
      this.resolved.clear();
    }
    if (this.names.length === 0) this.root = 'after';
  }

  /** `<!-- -->`, `<![CDATA[ ]]>` or `<!DOCTYPE >`. */
  private markup(lt: number): number {
    const s = this.s;
    if (s.startsWith('<!--', lt)) {
      const end = s.indexOf('-->', lt + 4);
      if (end === -1) return -1;
      const body = s.slice(lt + 4, end);
      if (body.includes('--') || body.endsWith('-')) throw this.error('a comment holds "--", which XML does not allow', lt);
      return end + 3;
    }
    if (s.startsWith('<![CDATA[', lt)) {
      const end = s.indexOf(']]>', lt + 9);
      if (end === -1) return -1;
      if (this.names.length === 0) throw this.error('a CDATA section outside the root element', lt);
      const body = s.slice(lt + 9, end);
      if (this.afterOpen) this.handler.text(body.includes('\r') ? body.replace(/\r\n?/g, '\n') : body);
      return end + 3;
    }
    if (s.startsWith('<!DOCTYPE', lt)) {
      if (this.root !== 'before') throw this.error('a DOCTYPE after the root element has started', lt);
      return this.doctype(lt);
    }
    if (s.length - lt < 9) return -1;
    throw this.error('"<!" starts neither a comment, a CDATA section nor a DOCTYPE', lt);
  }

  /** Skipped: SAF-T has no DTD. Brackets and quotes are followed to find its end. */
  private doctype(lt: number): number {
    const s = this.s;
    let quote = 0;
    let brackets = 0;
    for (let i = lt + 9; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (quote !== 0) {
        if (c === quote) quote = 0;
      } else if (c === 34 || c === 39) quote = c;
      else if (c === 91) brackets++;
      else if (c === 93) brackets--;
      else if (c === 62 && brackets === 0) return i + 1;
    }
    return -1;
  }

  private instruction(lt: number): number {
    const s = this.s;
    const end = s.indexOf('?>', lt + 2);
    if (end === -1) return -1;
    const target = /^[^\s?]*/.exec(s.slice(lt + 2, end))![0];
    if (target === '') throw this.error('"<?" is not followed by a processing instruction name', lt);
    if (target.toLowerCase() === 'xml' && (lt !== 0 || this.started)) throw this.error('the XML declaration <?xml …?> is not at the very start of the file', lt);
    return end + 2;
  }

  /** XML's attribute-value normalisation: literal line breaks and tabs become spaces. */
  private normaliseAttribute(raw: string, at: number): string {
    const spaced = /[\t\n\r]/.test(raw) ? raw.replace(/\r\n|[\t\n\r]/g, ' ') : raw;
    return spaced.includes('&') ? this.resolveEntities(spaced, at) : spaced;
  }

  private resolveText(raw: string, at: number): string {
    const text = raw.includes('\r') ? raw.replace(/\r\n?/g, '\n') : raw;
    return text.includes('&') ? this.resolveEntities(text, at) : text;
  }

  /** `at`: where the text starts, for the line of an error. */
  private resolveEntities(text: string, at: number): string {
    let out = '';
    let from = 0;
    for (let amp = text.indexOf('&'); amp !== -1; amp = text.indexOf('&', from)) {
      const semi = text.indexOf(';', amp + 1);
      if (semi === -1) throw this.error('"&" starts no entity reference (write a literal "&" as &amp;)', at);
      out += text.slice(from, amp) + this.entity(text.slice(amp + 1, semi), at);
      from = semi + 1;
    }
    return out + text.slice(from);
  }

  private entity(name: string, at: number): string {
    switch (name) {
      case 'amp':
        return '&';
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
    }
    const m = /^#(?:x([0-9a-fA-F]{1,6})|([0-9]{1,7}))$/.exec(name);
    if (m === null) throw this.error(`&${name.slice(0, 20)}; is not an entity XML defines (write a literal "&" as &amp;)`, at);
    const code = m[1] !== undefined ? parseInt(m[1], 16) : parseInt(m[2]!, 10);
    const allowed = code === 9 || code === 10 || code === 13 || (code >= 32 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
    if (!allowed) throw this.error(`&${name}; refers to a character XML does not allow`, at);
    return String.fromCodePoint(code);
  }

  /** `at`: the position in the text being scanned that the error is about. */
  private error(message: string, at?: number): XmlSyntaxError {
    if (at !== undefined) this.countLinesTo(at);
    return new XmlSyntaxError(message, this.line);
  }
}
