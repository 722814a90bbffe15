import { hash } from 'node:crypto';
import type { Voucher } from '../model/index.ts';

/**
 * A fingerprint of a text. It only has to tell an edited voucher from an unchanged one, so
 * MD5's speed matters more than its strength; one native call per voucher.
 */
export function fingerprint(text: string): string {
  return hash('md5', text, 'base64').slice(0, 22);
}

const bigintAsText = (_key: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);

export function jsonOf(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  try {
    // Without a replacer: a JS callback per key is most of the cost of serialising.
    return JSON.stringify(value);
  } catch {
    return JSON.stringify(value, bigintAsText);
  }
}

/**
 * Everything the source says about a voucher, as one text: equal texts mean an unchanged
 * voucher, so a re-import rewrites nothing and the change log stays quiet. `lineExtras` are
 * the lines' extra as JSON, serialised once by the caller and reused for the warehouse.
 */
export function voucherFingerprint(v: Voucher, voucherExtra: string | null, lineExtras: (string | null)[]): string {
  let text = `${v.journal_id}\u001f${v.voucher_number}\u001f${v.voucher_date}\u001f${v.posting_date}\u001f${v.description}\u001f${v.source_modified_at}\u001f${voucherExtra}`;
  for (let i = 0; i < v.lines.length; i++) {
    const l = v.lines[i]!;
    text += `\u001e${l.account_id}\u001f${l.amount}\u001f${l.currency}\u001f${l.currency_amount}\u001f${l.vat_code}\u001f${l.description}\u001f${l.party_type}\u001f${l.party_id}\u001f${lineExtras[i]}`;
    if (l.dimensions.length === 1) text += `\u001d${l.dimensions[0]!.dimension_type}\u001f${l.dimensions[0]!.dimension_id}`;
    else if (l.dimensions.length > 1) {
      // Sorted: the warehouse does not keep the order a source listed a line's dimensions in.
      text += l.dimensions.map((d) => `\u001d${d.dimension_type}\u001f${d.dimension_id}`).sort().join('');
    }
  }
  return fingerprint(text);
}
