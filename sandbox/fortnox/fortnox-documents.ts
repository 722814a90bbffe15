// The documents of a Fortnox company, picked deterministically from its vouchers: receipts
// connected to manual vouchers (Accounting: voucher file connections, PNG photos), supplier
// invoices (Suppliers: the invoice, its file connection, a PDF) and customer invoices made in
// Billing (the invoice and its printout, a PDF). Every file lives in the archive under a
// GUID-like id; its bytes are made on demand (cheap) and are the same on every run.
import { createHash } from 'node:crypto';
import { formatMoney } from '../../model/index.ts';
import { documentPdf, documentPng } from '../document-files.ts';
import type { FortnoxCompany, FxVoucher } from './fortnox-company.ts';

export type DocumentKind = 'receipt' | 'supplierinvoice' | 'invoice';

export interface FxDocument {
  index: number;
  kind: DocumentKind;
  fileId: string;
  /** The file name Fortnox shows (may hold anything a user typed, `../` included). */
  name: string;
  contentType: 'application/pdf' | 'image/png';
  voucher: FxVoucher;
  /** Supplier invoices: GivenNumber; customer invoices: DocumentNumber; receipts: ''. */
  number: string;
  /** The invoice total (the reskontro row), öre; 0 for receipts. */
  total: bigint;
  partyNumber: string;
  partyName: string;
}

export class DocumentStore {
  readonly all: FxDocument[] = [];
  readonly byFileId = new Map<string, FxDocument>();
  readonly supplierInvoices: FxDocument[] = [];
  readonly invoices: FxDocument[] = [];
  readonly receipts: FxDocument[] = [];

  /** `count` documents spread evenly over the years: 40 % receipts, 35 % supplier invoices, 25 % customer invoices. */
  constructor(
    private readonly company: FortnoxCompany,
    count: number,
  ) {
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`Fortnox simulator: documents must be a non-negative integer, got ${count}`);
    const receipts = Math.round(count * 0.4);
    const suppliers = Math.round(count * 0.35);
    const pick = (filter: (v: FxVoucher) => boolean, quota: number): FxVoucher[] => {
      const candidates = company.vouchers.flat().filter(filter);
      const n = Math.min(quota, candidates.length);
      const out: FxVoucher[] = [];
      for (let i = 0; i < n; i++) out.push(candidates[Math.floor((i * candidates.length) / n)]!);
      return out;
    };
    for (const v of pick((v) => v.referenceType === 'MANUAL' && v.series === 'A', receipts)) this.add('receipt', v);
    for (const v of pick((v) => v.referenceType === 'SUPPLIERINVOICE' && v.party !== null, suppliers)) this.add('supplierinvoice', v);
    for (const v of pick((v) => v.referenceType === 'INVOICE' && v.party !== null && v.referenceNumber !== '', count - this.all.length)) this.add('invoice', v);
  }

  /** The file's bytes: a PDF for invoices, a PNG photo for receipts. */
  content(d: FxDocument): Uint8Array {
    if (d.contentType === 'image/png') return documentPng(this.company.databaseNumber * 100_003 + d.index);
    const title = d.kind === 'invoice' ? `Faktura ${d.number}` : `Leverantorsfaktura ${d.voucher.referenceNumber}`;
    return documentPdf([
      d.kind === 'invoice' ? this.company.name : d.partyName,
      title,
      `Datum ${d.voucher.date}`,
      `${d.kind === 'invoice' ? 'Kund' : 'Mottagare'} ${d.kind === 'invoice' ? d.partyName : this.company.name}`,
      `Att betala ${formatMoney(d.total)} SEK`,
      `Verifikation ${d.voucher.series}${d.voucher.number}`,
    ]);
  }

  private add(kind: DocumentKind, v: FxVoucher): void {
    const index = this.all.length;
    const c = this.company;
    const party = v.party ? (v.party.type === 'customer' ? c.customers : c.suppliers).find((p) => p.number === v.party!.number) : undefined;
    const reskontro = v.rows.find((r) => !r.removed && (r.account === 1510 || r.account === 2440));
    const total = reskontro ? (reskontro.amount < 0n ? -reskontro.amount : reskontro.amount) : 0n;
    const number = kind === 'supplierinvoice' ? String(this.supplierInvoices.length + 1) : kind === 'invoice' ? v.referenceNumber : '';
    let name = kind === 'receipt' ? `Kvitto ${v.date} ${v.series}${v.number}.png` : kind === 'invoice' ? `Faktura ${number}.pdf` : `Faktura ${v.referenceNumber || number}.pdf`;
    // One supplier invoice file was uploaded under a name that climbs out of any folder.
    if (kind === 'supplierinvoice' && this.supplierInvoices.length === 1) name = `../../${name}`;
    const doc: FxDocument = {
      index,
      kind,
      fileId: guid(`fortnox-file:${c.databaseNumber}:${index}`),
      name,
      contentType: kind === 'receipt' ? 'image/png' : 'application/pdf',
      voucher: v,
      number,
      total,
      partyNumber: party?.number ?? '',
      partyName: party?.name ?? '',
    };
    this.all.push(doc);
    this.byFileId.set(doc.fileId, doc);
    (kind === 'receipt' ? this.receipts : kind === 'invoice' ? this.invoices : this.supplierInvoices).push(doc);
  }
}

/** A GUID-shaped id from a seed text (Fortnox's file ids are GUIDs). */
function guid(seed: string): string {
  const h = createHash('sha1').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
