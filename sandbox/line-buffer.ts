// The reusable buffer a voucher is written into: parallel typed arrays, so the hot loop
// allocates nothing per line.

const MAX_LINES = 64;
export const PARTY_NONE = 0;
export const PARTY_CUSTOMER = 1;
export const PARTY_SUPPLIER = 2;

export class LineBuffer {
  n = 0;
  readonly acc = new Int32Array(MAX_LINES);
  readonly amt = new Float64Array(MAX_LINES);
  readonly vat = new Int16Array(MAX_LINES);
  readonly partyKind = new Uint8Array(MAX_LINES);
  readonly party = new Int32Array(MAX_LINES);
  readonly dim = new Int32Array(MAX_LINES);
  readonly cur = new Float64Array(MAX_LINES);

  add(acc: number, amt: number, vat = -1, dim = -1, partyKind = PARTY_NONE, party = -1, cur = NaN): void {
    const i = this.n++;
    this.acc[i] = acc;
    this.amt[i] = amt;
    this.vat[i] = vat;
    this.dim[i] = dim;
    this.partyKind[i] = partyKind;
    this.party[i] = party;
    this.cur[i] = cur;
  }
}

/** FI books both the withheld and the employer pension share on one liability: one line. */
export function mergeSameAccountLines(b: LineBuffer): void {
  for (let i = 0; i < b.n; i++) {
    if (b.partyKind[i] !== PARTY_NONE || b.dim[i]! >= 0) continue;
    for (let j = i + 1; j < b.n; j++) {
      if (b.acc[j] !== b.acc[i] || b.dim[j]! >= 0 || b.partyKind[j] !== PARTY_NONE) continue;
      b.amt[i]! += b.amt[j]!;
      for (let k = j; k < b.n - 1; k++) {
        b.acc[k] = b.acc[k + 1]!;
        b.amt[k] = b.amt[k + 1]!;
        b.vat[k] = b.vat[k + 1]!;
        b.dim[k] = b.dim[k + 1]!;
        b.partyKind[k] = b.partyKind[k + 1]!;
        b.party[k] = b.party[k + 1]!;
        b.cur[k] = b.cur[k + 1]!;
      }
      b.n--;
      j--;
    }
  }
}
