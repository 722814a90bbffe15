// The streamed ledger: turns the line buffer into `Voucher` objects, resolving indexes into
// ids and descriptions into text.
import type { LedgerLine, LineDimension, Voucher } from '../model/index.ts';
import type { Setup } from './company-setup.ts';
import type { YearCalendar } from './fiscal-calendar.ts';
import { PARTY_CUSTOMER, PARTY_SUPPLIER, type LineBuffer } from './line-buffer.ts';
import type { Sink, VoucherHeader } from './sink.ts';
import { describe } from './voucher-description.ts';

const NO_DIMENSIONS: LineDimension[] = Object.freeze([]) as unknown as LineDimension[];

/** Turns the buffer into `Voucher` objects: the streamed ledger. */
export class VoucherSink implements Sink {
  readonly out: Voucher[] = [];

  constructor(
    private readonly s: Setup,
    private readonly cal: YearCalendar,
  ) {}

  voucher(h: VoucherHeader, b: LineBuffer): void {
    const s = this.s;
    const p = s.profile;
    const lines: LedgerLine[] = new Array(b.n);
    for (let i = 0; i < b.n; i++) {
      const pk = b.partyKind[i]!;
      const cur = b.cur[i]!;
      const vat = b.vat[i]!;
      const dim = b.dim[i]!;
      lines[i] = {
        account_id: s.accountIds[b.acc[i]!]!,
        amount: BigInt(b.amt[i]!),
        currency: cur === cur ? p.foreign.currency : null,
        currency_amount: cur === cur ? BigInt(cur) : null,
        vat_code: vat >= 0 ? s.taxCodes[vat]! : null,
        description: null,
        party_type: pk === PARTY_CUSTOMER ? 'customer' : pk === PARTY_SUPPLIER ? 'supplier' : null,
        party_id: pk === PARTY_CUSTOMER ? s.customers[b.party[i]!]!.id : pk === PARTY_SUPPLIER ? s.suppliers[b.party[i]!]!.id : null,
        dimensions: dim >= 0 ? s.dims[dim]! : NO_DIMENSIONS,
        extra: null,
      };
    }
    this.out.push({
      journal_id: s.journalIds[h.journal]!,
      voucher_number: String(h.number),
      voucher_date: this.cal.iso[h.day]!,
      posting_date: this.cal.iso[h.postingDay]!,
      description: describe(this.s, this.cal, h),
      source_modified_at: null,
      extra: null,
      lines,
    });
  }
}
