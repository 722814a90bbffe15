/** Numbers per page of bits: 8 KiB of memory per page in use. */
const PAGE_BITS = 65_536;

/** A voucher number as software counts: no sign, no leading zero, exact in a double. */
const COUNTED = /^(?:0|[1-9]\d{0,14})$/;

/**
 * The voucher ids a file has used so far, to find those it uses twice. An id joins a scope
 * (a fiscal year, say), a series and a number with a separator the scope never holds. Held
 * as strings they grew with the file: ~25 MB of a 200 MB SAF-T file's worker heap, ~250 MB
 * of a 2 GB one. Almost every program numbers vouchers 1, 2, 3… per series, so such numbers
 * take a bit each, in pages of bits per scope and series; any other id is kept as its text.
 * Only a series without the separator goes the first way: its id splits one way only, so
 * the two ways never disagree on whether two ids are the same.
 */
export class VoucherIdSet {
  private readonly counted = new Map<string, Map<string, Map<number, Uint32Array>>>();
  private readonly others = new Set<string>();

  constructor(private readonly separator: string) {}

  /** Adds the voucher; false when its id was there already. */
  add(scope: string, series: string, number: string): boolean {
    if (series.includes(this.separator) || !COUNTED.test(number)) {
      const before = this.others.size;
      this.others.add(`${scope}${this.separator}${series}${this.separator}${number}`);
      return this.others.size !== before;
    }
    let inScope = this.counted.get(scope);
    if (inScope === undefined) this.counted.set(scope, (inScope = new Map()));
    let pages = inScope.get(series);
    if (pages === undefined) inScope.set(series, (pages = new Map()));
    const n = Number(number);
    const pageNo = Math.floor(n / PAGE_BITS);
    let page = pages.get(pageNo);
    if (page === undefined) pages.set(pageNo, (page = new Uint32Array(PAGE_BITS / 32)));
    const bit = n % PAGE_BITS;
    const word = bit >>> 5;
    const mask = 1 << (bit & 31);
    if ((page[word]! & mask) !== 0) return false;
    page[word] = page[word]! | mask;
    return true;
  }
}
