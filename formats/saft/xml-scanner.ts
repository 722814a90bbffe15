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
    /** 'limit': well-formed as far as read, but one construct is larger than any SAF-T file has. */
    readonly kind: 'syntax' | 'limit' = 'syntax',
  ) {
    super(message);
  }
}

/**
 * Characters one construct (a comment, a text, a CDATA section, a processing instruction, a
 * DOCTYPE, a tag) may hold. A SAF-T file's largest is a description of 256 characters; a
 * construct of megabytes is damage or an attack (a zip bomb of one comment), refused early.
 */
export const MAX_CONSTRUCT_CHARS = 8 << 20;

/** A construct that spans chunks and is read as it streams, holding only a few characters. */
const Mode = { None: 0, Comment: 1, Cdata: 2, Instruction: 3, Doctype: 4 } as const;
type Mode = (typeof Mode)[keyof typeof Mode];
const MODE_NAMES = ['', 'a comment', 'a CDATA section', 'a processing instruction', 'a DOCTYPE'];

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
  /**
   * A comment, CDATA section, processing instruction or DOCTYPE still open at the end of the
   * text written so far: it is followed in each new chunk only, so scanning one of any size
   * takes linear time, and only `tail` (the last characters, where its end may be starting)
   * is kept of it.
   */
  private mode: Mode = Mode.None;
  private tail = '';
  private modeLine = 0;
  private modeChars = 0;
  private doctypeQuote = 0;
  private doctypeBrackets = 0;
  /** Characters of text since the last tag: a text is one construct too. */
  private textChars = 0;
  private final = false;
  private readonly maxConstruct: number;

  constructor(
    private readonly handler: XmlHandler,
    options: { maxConstructChars?: number } = {},
  ) {
    this.maxConstruct = options.maxConstructChars ?? MAX_CONSTRUCT_CHARS;
  }

  /** Characters held back for the next chunk (bounded by the construct limit). */
  get buffered(): number {
    return this.rest.length + this.tail.length;
  }

  write(chunk: string): void {
    this.begin(this.rest === '' ? chunk : this.rest + chunk, this.rest.length);
    const from = this.mode === Mode.None ? 0 : this.continueMode();
    if (from < 0) {
      this.countLinesTo(this.s.length);
      this.s = '';
      return;
    }
    const stop = this.scan(false, from);
    this.countLinesTo(stop);
    this.rest = stop < this.s.length ? this.s.slice(stop) : '';
    this.s = '';
    if (this.rest.length > this.maxConstruct) {
      throw new XmlSyntaxError(`a tag runs on for more than ${this.maxConstruct} characters, far longer than any SAF-T element`, this.line, 'limit');
    }
  }

  /** The input is complete: anything left open is an error. */
  end(): void {
    if (this.mode !== Mode.None) throw new XmlSyntaxError(`the file ends inside ${MODE_NAMES[this.mode]} (opened at line ${this.modeLine})`, this.line);
    this.begin(this.rest, 0);
    this.rest = '';
    this.final = true;
    this.scan(true, 0);
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
  private scan(final: boolean, from: number): number {
    const s = this.s;
    const n = s.length;
    let pos = from;
    while (pos < n) {
      const lt = s.indexOf('<', pos);
      if (lt === -1) {
        if (final) {
          this.segment(pos, n);
          return n;
        }
        // Text may go on in the next chunk: what is surely complete goes now, so a text of
        // any length is never searched twice. Held back: a line end that may be half of
        // CR LF, and an entity reference that may be cut.
        let keep = s.charCodeAt(n - 1) === 13 ? n - 1 : n;
        const amp = s.lastIndexOf('&', keep - 1);
        if (amp >= pos && keep - amp < 40 && s.indexOf(';', amp) === -1) keep = amp;
        if (keep > pos) this.segment(pos, keep);
        return keep;
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
    this.textChars += end - start;
    if (this.textChars > this.maxConstruct) this.tooLarge('a text', start);
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
    this.textChars = 0;
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
    this.textChars = 0;
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
      if (end === -1) {
        if (this.final) return -1;
        this.enter(Mode.Comment, lt);
        this.commentPart(s.slice(lt + 4), lt + 4, false);
        return s.length;
      }
      const body = s.slice(lt + 4, end);
      if (body.includes('--') || body.endsWith('-')) throw this.error('a comment holds "--", which XML does not allow', lt);
      return end + 3;
    }
    if (s.startsWith('<![CDATA[', lt)) {
      const end = s.indexOf(']]>', lt + 9);
      if (end === -1 && this.final) return -1;
      if (this.names.length === 0) throw this.error('a CDATA section outside the root element', lt);
      if (end === -1) {
        this.enter(Mode.Cdata, lt);
        this.cdataPart(s.slice(lt + 9), false);
        return s.length;
      }
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
    this.doctypeQuote = 0;
    this.doctypeBrackets = 0;
    const end = this.doctypeFrom(this.s, lt + 9);
    if (end !== -1 || this.final) return end;
    this.enter(Mode.Doctype, lt);
    return this.s.length;
  }

  /** Follows a DOCTYPE from `from` on; the index after its ">", or -1 when it goes on. */
  private doctypeFrom(s: string, from: number): number {
    let quote = this.doctypeQuote;
    let brackets = this.doctypeBrackets;
    for (let i = from; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (quote !== 0) {
        if (c === quote) quote = 0;
      } else if (c === 34 || c === 39) quote = c;
      else if (c === 91) brackets++;
      else if (c === 93) brackets--;
      else if (c === 62 && brackets === 0) return i + 1;
    }
    this.doctypeQuote = quote;
    this.doctypeBrackets = brackets;
    return -1;
  }

  private instruction(lt: number): number {
    const s = this.s;
    const end = s.indexOf('?>', lt + 2);
    // Without its end yet, the name is checked once it is complete and the rest streams.
    const target = /^[^\s?]*/.exec(s.slice(lt + 2, end === -1 ? lt + 2 + 64 : end))![0];
    if (end === -1 && (this.final || lt + 2 + target.length >= s.length)) return -1;
    if (target === '') throw this.error('"<?" is not followed by a processing instruction name', lt);
    if (target.toLowerCase() === 'xml' && (lt !== 0 || this.started)) throw this.error('the XML declaration <?xml …?> is not at the very start of the file', lt);
    if (end === -1) {
      this.enter(Mode.Instruction, lt);
      this.tail = s.slice(-1);
      this.modeChars = s.length - lt;
      return s.length;
    }
    return end + 2;
  }

  // ---------------------------------------------------------------- constructs across chunks

  private enter(mode: Mode, lt: number): void {
    this.countLinesTo(lt);
    this.mode = mode;
    this.modeLine = this.line;
    this.modeChars = this.s.length - lt;
    this.tail = '';
    this.started = true;
    if (this.modeChars > this.maxConstruct) this.tooLarge(MODE_NAMES[mode]!, lt);
  }

  /**
   * Goes on with the open construct in `this.s` (a fresh chunk): the index after its end, or
   * -1 when it goes on past this chunk too.
   */
  private continueMode(): number {
    const s = this.s;
    const mode = this.mode;
    let end: number;
    if (mode === Mode.Doctype) end = this.doctypeFrom(s, 0);
    else {
      const held = this.tail;
      const d = held + s;
      const found = d.indexOf(mode === Mode.Comment ? '-->' : mode === Mode.Cdata ? ']]>' : '?>');
      if (mode === Mode.Comment) this.commentPart(found === -1 ? d : d.slice(0, found), -held.length, found !== -1);
      else if (mode === Mode.Cdata) this.cdataPart(found === -1 ? d : d.slice(0, found), found !== -1);
      else this.tail = found === -1 ? d.slice(-1) : '';
      end = found === -1 ? -1 : found + (mode === Mode.Instruction ? 2 : 3) - held.length;
    }
    this.modeChars += end === -1 ? s.length : end;
    if (this.modeChars > this.maxConstruct) this.tooLarge(MODE_NAMES[mode]!, end === -1 ? s.length : end);
    if (end === -1) return -1;
    this.mode = Mode.None;
    this.tail = '';
    return end;
  }

  /**
   * A comment's body seen so far (`body`, starting at `at` in this.s, with the tail held
   * before it): a "--" is an error once what follows it shows it is not the end.
   */
  private commentPart(body: string, at: number, complete: boolean): void {
    if (complete) {
      if (body.includes('--') || body.endsWith('-')) throw this.error('a comment holds "--", which XML does not allow', Math.max(0, at));
      return;
    }
    const dashes = body.indexOf('--');
    if (dashes !== -1 && dashes + 2 < body.length) throw this.error('a comment holds "--", which XML does not allow', Math.max(0, at + dashes));
    this.tail = body.slice(-2);
  }

  /** A CDATA section's text seen so far, reported but for its last characters (maybe "]]"). */
  private cdataPart(body: string, complete: boolean): void {
    let upTo = complete ? body.length : Math.max(0, body.length - 2);
    if (!complete && upTo > 0 && body.charCodeAt(upTo - 1) === 13) upTo--;
    const text = body.slice(0, upTo);
    this.tail = complete ? '' : body.slice(upTo);
    if (text !== '' && this.afterOpen) this.handler.text(text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text);
  }

  private tooLarge(what: string, at: number): never {
    this.countLinesTo(Math.min(at, this.s.length));
    throw new XmlSyntaxError(`${what} runs on for more than ${this.maxConstruct} characters, far longer than any SAF-T file holds`, this.line, 'limit');
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
