// One fiscal year of served vouchers and postings in compact columns (typed arrays), sorted by
// date, so a company of hundreds of thousands of postings stays small and a date window is two
// binary searches away. The year is immutable: a mutation decodes it to records, changes them
// and encodes a new year.

/** One posting, as records carry it between decode and encode. Indexes point into the company's master data. */
export interface LineRecord {
  id: number;
  version: number;
  account: number;
  /** øre, debit positive */
  amount: bigint;
  /** Index into the currency table. */
  currency: number;
  currencyAmount: bigint;
  /** -1 = none */
  vatType: number;
  /** 0 none, 1 customer, 2 supplier */
  partyKind: number;
  party: number;
  department: number;
  project: number;
  row: number;
  systemGenerated: boolean;
}

export interface VoucherRecord {
  id: number;
  number: number;
  day: number;
  voucherType: number;
  version: number;
  /** Epoch ms of the last change (creation at first). */
  changedAt: number;
  description: string;
  lines: LineRecord[];
}

export interface YearMeta {
  index: number;
  /** First day, `YYYY-MM-DD`. */
  start: string;
  /** Last day (inclusive), `YYYY-MM-DD`. */
  end: string;
  startDay: number;
  /** First day after the year. */
  endDay: number;
  /** Tripletex's `year`: the calendar year the fiscal year starts in. */
  year: number;
  closed: boolean;
}

export class LedgerYear {
  readonly voucherCount: number;
  readonly vId: Float64Array;
  readonly vNumber: Int32Array;
  readonly vDay: Int32Array;
  readonly vType: Int16Array;
  readonly vVersion: Int32Array;
  readonly vChangedAt: Float64Array;
  readonly vDescription: string[];
  /** Lines of voucher v are [vLineStart[v], vLineStart[v + 1]). */
  readonly vLineStart: Int32Array;

  readonly lineCount: number;
  readonly lId: Float64Array;
  readonly lVersion: Int32Array;
  readonly lAccount: Int16Array;
  readonly lAmount: BigInt64Array;
  readonly lCurrency: Int16Array;
  readonly lCurrencyAmount: BigInt64Array;
  readonly lVatType: Int16Array;
  readonly lPartyKind: Int8Array;
  readonly lParty: Int32Array;
  readonly lDepartment: Int16Array;
  readonly lProject: Int16Array;
  readonly lRow: Int16Array;
  readonly lSystem: Uint8Array;
  readonly lVoucher: Int32Array;

  private totals: BigInt64Array | null = null;
  private hashPrefix: [Float64Array, Float64Array] | null = null;

  private constructor(
    readonly meta: YearMeta,
    records: VoucherRecord[],
  ) {
    const n = records.length;
    let lines = 0;
    for (const r of records) lines += r.lines.length;
    this.voucherCount = n;
    this.vId = new Float64Array(n);
    this.vNumber = new Int32Array(n);
    this.vDay = new Int32Array(n);
    this.vType = new Int16Array(n);
    this.vVersion = new Int32Array(n);
    this.vChangedAt = new Float64Array(n);
    this.vDescription = new Array<string>(n);
    this.vLineStart = new Int32Array(n + 1);
    this.lineCount = lines;
    this.lId = new Float64Array(lines);
    this.lVersion = new Int32Array(lines);
    this.lAccount = new Int16Array(lines);
    this.lAmount = new BigInt64Array(lines);
    this.lCurrency = new Int16Array(lines);
    this.lCurrencyAmount = new BigInt64Array(lines);
    this.lVatType = new Int16Array(lines);
    this.lPartyKind = new Int8Array(lines);
    this.lParty = new Int32Array(lines);
    this.lDepartment = new Int16Array(lines);
    this.lProject = new Int16Array(lines);
    this.lRow = new Int16Array(lines);
    this.lSystem = new Uint8Array(lines);
    this.lVoucher = new Int32Array(lines);
    let l = 0;
    for (let v = 0; v < n; v++) {
      const r = records[v]!;
      this.vId[v] = r.id;
      this.vNumber[v] = r.number;
      this.vDay[v] = r.day;
      this.vType[v] = r.voucherType;
      this.vVersion[v] = r.version;
      this.vChangedAt[v] = r.changedAt;
      this.vDescription[v] = r.description;
      this.vLineStart[v] = l;
      for (const x of r.lines) {
        this.lId[l] = x.id;
        this.lVersion[l] = x.version;
        this.lAccount[l] = x.account;
        this.lAmount[l] = x.amount;
        this.lCurrency[l] = x.currency;
        this.lCurrencyAmount[l] = x.currencyAmount;
        this.lVatType[l] = x.vatType;
        this.lPartyKind[l] = x.partyKind;
        this.lParty[l] = x.party;
        this.lDepartment[l] = x.department;
        this.lProject[l] = x.project;
        this.lRow[l] = x.row;
        this.lSystem[l] = x.systemGenerated ? 1 : 0;
        this.lVoucher[l] = v;
        l++;
      }
    }
    this.vLineStart[n] = l;
  }

  /** Sorts by date (stable, so same-day vouchers keep their order) and packs the columns. */
  static encode(meta: YearMeta, records: VoucherRecord[]): LedgerYear {
    const sorted = sortByDay(records);
    for (const r of sorted) {
      if (r.day < meta.startDay || r.day >= meta.endDay) throw new RangeError(`voucher ${r.id} dated outside fiscal year ${meta.start}`);
    }
    return new LedgerYear(meta, sorted);
  }

  decode(): VoucherRecord[] {
    const out: VoucherRecord[] = [];
    for (let v = 0; v < this.voucherCount; v++) {
      const lines: LineRecord[] = [];
      for (let l = this.vLineStart[v]!; l < this.vLineStart[v + 1]!; l++) {
        lines.push({
          id: this.lId[l]!,
          version: this.lVersion[l]!,
          account: this.lAccount[l]!,
          amount: this.lAmount[l]!,
          currency: this.lCurrency[l]!,
          currencyAmount: this.lCurrencyAmount[l]!,
          vatType: this.lVatType[l]!,
          partyKind: this.lPartyKind[l]!,
          party: this.lParty[l]!,
          department: this.lDepartment[l]!,
          project: this.lProject[l]!,
          row: this.lRow[l]!,
          systemGenerated: this.lSystem[l] === 1,
        });
      }
      out.push({
        id: this.vId[v]!,
        number: this.vNumber[v]!,
        day: this.vDay[v]!,
        voucherType: this.vType[v]!,
        version: this.vVersion[v]!,
        changedAt: this.vChangedAt[v]!,
        description: this.vDescription[v]!,
        lines,
      });
    }
    return out;
  }

  /** Vouchers dated in [fromDay, toDay): [first, end) voucher indexes. */
  voucherRange(fromDay: number, toDay: number): [number, number] {
    return [this.lowerBound(fromDay), this.lowerBound(toDay)];
  }

  /** Net movement per account over the whole year (cached; the year never changes). */
  accountTotals(accounts: number): BigInt64Array {
    if (!this.totals) {
      const t = new BigInt64Array(accounts);
      for (let l = 0; l < this.lineCount; l++) t[this.lAccount[l]!]! += this.lAmount[l]!;
      this.totals = t;
    }
    return this.totals;
  }

  /**
   * Content hash of lines [a, b) as two 32-bit sums of per-line hashes of (id, version): any
   * added, deleted or edited posting changes it, and prefix sums answer any window in O(1).
   * (Sums of < 2^32 terms stay exact in a double far beyond any year's line count.)
   */
  lineHashRange(a: number, b: number): [number, number] {
    if (!this.hashPrefix) {
      const p1 = new Float64Array(this.lineCount + 1);
      const p2 = new Float64Array(this.lineCount + 1);
      for (let l = 0; l < this.lineCount; l++) {
        p1[l + 1] = p1[l]! + lineHashA(this.lId[l]!, this.lVersion[l]!);
        p2[l + 1] = p2[l]! + lineHashB(this.lId[l]!, this.lVersion[l]!);
      }
      this.hashPrefix = [p1, p2];
    }
    const [p1, p2] = this.hashPrefix;
    return [p1[b]! - p1[a]!, p2[b]! - p2[a]!];
  }

  private lowerBound(day: number): number {
    let lo = 0;
    let hi = this.voucherCount;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.vDay[mid]! < day) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** Stable sort by date (same-day vouchers keep their order); a sorted input is returned as is. */
export function sortByDay(records: VoucherRecord[]): VoucherRecord[] {
  let sorted = true;
  for (let i = 1; i < records.length && sorted; i++) sorted = records[i - 1]!.day <= records[i]!.day;
  if (sorted) return records;
  return records.map((r, i) => ({ r, i })).sort((a, b) => a.r.day - b.r.day || a.i - b.i).map((x) => x.r);
}

/** Per-line hashes for `lineHashRange`; also summed line by line for filtered windows. */
export function lineHashA(id: number, version: number): number {
  let h = Math.imul((id >>> 0) ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ Math.floor(id / 0x100000000), 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16) ^ version, 0x27d4eb2f);
  return (h ^ (h >>> 15)) >>> 0;
}

export function lineHashB(id: number, version: number): number {
  let h = Math.imul((id >>> 0) ^ 0x7f4a7c15, 0xcc9e2d51);
  h = Math.imul(h ^ (h >>> 15) ^ version, 0x1b873593);
  h = Math.imul(h ^ (h >>> 13) ^ Math.floor(id / 0x100000000), 0x85ebca6b);
  return (h ^ (h >>> 16)) >>> 0;
}
