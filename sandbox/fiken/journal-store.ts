// Journal entries and their lines in compact growable columns (typed arrays). Fiken never
// removes an entry (a deletion adds a reversal), so the store only appends; an edit changes
// line amounts in place. Entry e is the only entry of transaction e, and creation order is
// index order, which is also Fiken's default list order.

export interface EntryHeader {
  day: number;
  /** Fiscal year index. */
  year: number;
  /** journalEntryNumber: sequential per fiscal year. */
  number: number;
  createdDay: number;
  modifiedDay: number;
  /** Index into the company's transaction types. */
  type: number;
  description: string;
  /** The entry this one cancels or is cancelled by; -1 none. */
  offset: number;
}

export interface LineInput {
  account: number;
  /** Contact index for a reskontro line (`1500:10001`); -1 none. */
  contact: number;
  /** øre, debit positive */
  amount: bigint;
  /** Index into the company's VAT codes; -1 none. */
  vat: number;
  /** Project index; -1 none. */
  project: number;
  modifiedDay: number;
}

export class JournalStore {
  count = 0;
  lineCount = 0;

  day = new Int32Array(0);
  year = new Uint8Array(0);
  number = new Int32Array(0);
  created = new Int32Array(0);
  modified = new Int32Array(0);
  deleted = new Uint8Array(0);
  offset = new Int32Array(0);
  type = new Uint8Array(0);
  description: string[] = [];
  /** Lines of entry e are [lineStart[e], lineStart[e + 1]); lineStart[count] = lineCount. */
  lineStart = new Int32Array(1);

  lAccount = new Int16Array(0);
  lContact = new Int32Array(0);
  lAmount = new BigInt64Array(0);
  lVat = new Int16Array(0);
  lProject = new Int16Array(0);
  lModified = new Int32Array(0);

  /** Opens a new entry: the lines added next belong to it. Returns its index. */
  addEntry(h: EntryHeader): number {
    if (this.count === this.day.length) this.growEntries(Math.max(1024, this.count * 2));
    const e = this.count++;
    this.day[e] = h.day;
    this.year[e] = h.year;
    this.number[e] = h.number;
    this.created[e] = h.createdDay;
    this.modified[e] = h.modifiedDay;
    this.deleted[e] = 0;
    this.offset[e] = h.offset;
    this.type[e] = h.type;
    this.description[e] = h.description;
    this.lineStart[e + 1] = this.lineCount;
    return e;
  }

  /** Adds a line to the newest entry. */
  addLine(l: LineInput): void {
    if (this.count === 0) throw new Error('journal store: a line needs an entry');
    if (this.lineCount === this.lAccount.length) this.growLines(Math.max(4096, this.lineCount * 2));
    const i = this.lineCount++;
    this.lAccount[i] = l.account;
    this.lContact[i] = l.contact;
    this.lAmount[i] = l.amount;
    this.lVat[i] = l.vat;
    this.lProject[i] = l.project;
    this.lModified[i] = l.modifiedDay;
    this.lineStart[this.count] = this.lineCount;
  }

  lineOf(i: number): LineInput {
    return {
      account: this.lAccount[i]!,
      contact: this.lContact[i]!,
      amount: this.lAmount[i]!,
      vat: this.lVat[i]!,
      project: this.lProject[i]!,
      modifiedDay: this.lModified[i]!,
    };
  }

  private growEntries(n: number): void {
    this.day = grow(this.day, new Int32Array(n));
    this.year = grow(this.year, new Uint8Array(n));
    this.number = grow(this.number, new Int32Array(n));
    this.created = grow(this.created, new Int32Array(n));
    this.modified = grow(this.modified, new Int32Array(n));
    this.deleted = grow(this.deleted, new Uint8Array(n));
    this.offset = grow(this.offset, new Int32Array(n));
    this.type = grow(this.type, new Uint8Array(n));
    this.lineStart = grow(this.lineStart, new Int32Array(n + 1));
  }

  private growLines(n: number): void {
    this.lAccount = grow(this.lAccount, new Int16Array(n));
    this.lContact = grow(this.lContact, new Int32Array(n));
    this.lAmount = grow(this.lAmount, new BigInt64Array(n));
    this.lVat = grow(this.lVat, new Int16Array(n));
    this.lProject = grow(this.lProject, new Int16Array(n));
    this.lModified = grow(this.lModified, new Int32Array(n));
  }
}

function grow<A extends { set(source: A): void }>(old: A, next: A): A {
  next.set(old);
  return next;
}
