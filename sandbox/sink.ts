// What the simulation hands a sink per voucher: a reused header and the line buffer.
import type { LineBuffer } from './line-buffer.ts';
import type { Desc } from './voucher-description.ts';

export interface VoucherHeader {
  journal: number;
  number: number;
  day: number;
  postingDay: number;
  desc: Desc;
  /** Invoice number, month, or term, depending on `desc`. */
  arg: number;
  party: number;
}

export interface Sink {
  voucher(h: VoucherHeader, b: LineBuffer): void;
}
