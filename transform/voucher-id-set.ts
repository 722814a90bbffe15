/** Numbers per page of bits: 8 KiB of memory per page in use. */
const PAGE_BITS = 65_536;

/** A voucher number as software counts: no sign, no leading zero, exact in a double. */
const COUNTED = /^(?:0|[1-9]\d{0,14})$/;

/**
 * The voucher ids (`year/series/number`) a file has used so far, to find those it uses
 * twice. Held as strings they grew with the file: ~25 MB of a 200 MB SAF-T file's worker
 * heap, ~250 MB of a 2 GB one. Almost every program numbers vouchers 1, 2, 3… per series,
 * so such numbers take a bit each, in pages of bits per year and series; any other id is
 * kept as its text. A series without a '/' makes the split of an id unambiguous, so the
 * two halves never disagree on whether two ids are the same.
 */
export class VoucherIdSet {
  private readonly counted = new Map<string, Map<string, Map<number, Uint32Array>>>();
  private readonly others = new Set<string>();

  /** Adds the voucher `id`, made of `year`, `series` and `number`; false when it was there. */
  add(id: string, year: string, series: string, number: string): boolean {
    if (series.includes('/') || !COUNTED.test(number)) {
      const before = this.others.size;
      this.others.add(id);
      return this.others.size !== before;
    }
    let inYear = this.counted.get(year);
    if (inYear === undefined) this.counted.set(year, (inYear = new Map()));
    let pages = inYear.get(series);
    if (pages === undefined) inYear.set(series, (pages = new Map()));
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
