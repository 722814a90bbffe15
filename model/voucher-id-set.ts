/** Numbers per page of bits. Small, so that scattered numbers cost not much more than their text did. */
const PAGE_BITS = 1024;
const PAGE_WORDS = PAGE_BITS / 32;

/** A voucher number as software counts: no sign, no leading zero, exact in a double. */
const COUNTED = /^(?:0|[1-9]\d{0,14})$/;

/** One series' pages, side by side in one array: a page per typed array would cost more than its bits. */
interface Pages {
  /** Page number → where its words start in `words`. */
  at: Map<number, number>;
  words: Uint32Array;
}

/**
 * The voucher ids a file has used so far, to find those it uses twice. An id joins a scope
 * (a fiscal year, say), a series and a number with a separator the scope never holds. Held
 * as strings they grew with the file: ~25 MB of a 200 MB SAF-T file's worker heap, ~250 MB
 * of a 2 GB one. Almost every program numbers vouchers 1, 2, 3… per series, so such numbers
 * take a bit each, in pages of bits per scope and series (numbers far apart take 150–300
 * bytes each, against ~120 for their text); any other id is kept as its text. Only a series
 * without the separator goes the first way: its id splits one way only, so the two ways
 * never disagree on whether two ids are the same.
 */
export class VoucherIdSet {
  private readonly counted = new Map<string, Map<string, Pages>>();
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
    if (pages === undefined) inScope.set(series, (pages = { at: new Map(), words: new Uint32Array(PAGE_WORDS) }));
    const n = Number(number);
    const pageNo = Math.floor(n / PAGE_BITS);
    let start = pages.at.get(pageNo);
    if (start === undefined) {
      start = pages.at.size * PAGE_WORDS;
      if (start === pages.words.length) {
        const grown = new Uint32Array(2 * pages.words.length);
        grown.set(pages.words);
        pages.words = grown;
      }
      pages.at.set(pageNo, start);
    }
    const bit = n % PAGE_BITS;
    const word = start + (bit >>> 5);
    const mask = 1 << (bit & 31);
    if ((pages.words[word]! & mask) !== 0) return false;
    pages.words[word] = pages.words[word]! | mask;
    return true;
  }
}
