// Where a file stops being UTF-8: both readers refuse such bytes naming the line, and only
// look for it once a fast validity check has failed.

/** Finds the first sequence that is not UTF-8 (RFC 3629: no overlongs, surrogates or > U+10FFFF). */
export class Utf8Validator {
  private line = 1;
  private need = 0;
  private lower = 0x80;
  private upper = 0xbf;
  private seq: number[] = [];
  private seqLine = 1;

  push(chunk: Uint8Array): { line: number; bytes: string } | null {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (this.need === 0) {
        if (b < 0x80) {
          if (b === 10) this.line++;
          continue;
        }
        this.seq = [b];
        this.seqLine = this.line;
        if (b >= 0xc2 && b <= 0xdf) this.need = 1;
        else if (b >= 0xe0 && b <= 0xef) [this.need, this.lower, this.upper] = [2, b === 0xe0 ? 0xa0 : 0x80, b === 0xed ? 0x9f : 0xbf];
        else if (b >= 0xf0 && b <= 0xf4) [this.need, this.lower, this.upper] = [3, b === 0xf0 ? 0x90 : 0x80, b === 0xf4 ? 0x8f : 0xbf];
        else return this.bad();
      } else {
        this.seq.push(b);
        if (b < this.lower || b > this.upper) return this.bad();
        [this.lower, this.upper] = [0x80, 0xbf];
        this.need--;
      }
    }
    return null;
  }

  end(): { line: number; bytes: string } | null {
    return this.need > 0 ? this.bad() : null;
  }

  private bad(): { line: number; bytes: string } {
    return { line: this.seqLine, bytes: `bytes ${this.seq.map((x) => `0x${x.toString(16).toUpperCase().padStart(2, '0')}`).join(' ')}` };
  }
}
