// The documents behind a Fortnox year's vouchers: the files connected to vouchers
// (Accounting), to supplier invoices (Suppliers), and the customer invoices made in Billing,
// each listed with the voucher it belongs to. Files come from the archive; a customer invoice
// as its PDF preview, which unlike `print` does not mark the invoice sent (nothing is written
// to Fortnox). Bodies stream into the document store; one the warehouse holds is not fetched.
import type { SourceLocation } from '../../model/index.ts';
import type { DocumentSink, HeldDocument, SourceFiscalYear, SourceStream, StreamEvent, StreamSlice } from '../source.ts';
import { fiscalYearStream, inOrder, StreamSliceError } from '../stream-kit.ts';
import type { FortnoxClient } from './fortnox-client.ts';

/** Downloads in flight at once: the client's window keeps them within the 25 per 5 s. */
const DOWNLOADS_IN_FLIGHT = 4;
/** Documents per page handed to the engine. */
const PAGE_DOCUMENTS = 100;

interface FxVoucherFileConnection {
  FileId: string;
  /** A string in the spec, a number in some answers. */
  VoucherNumber: string | number;
  VoucherSeries: string;
  VoucherYear?: number | string | null;
}

interface FxSupplierInvoiceFileConnection {
  FileId: string;
  Name?: string | null;
  SupplierInvoiceNumber?: string | number | null;
}

interface FxSupplierInvoice {
  GivenNumber: string | number;
  Vouchers?: { Number?: number | string | null; Series?: string | null; Year?: number | string | null; ReferenceType?: string | null }[] | null;
}

interface FxInvoice {
  DocumentNumber: string | number;
  Cancelled?: boolean | null;
  VoucherNumber?: number | string | null;
  VoucherSeries?: string | null;
  VoucherYear?: number | string | null;
}

type VoucherRef = { journal_id: string; voucher_number: string };

/** One document of the year: where its bytes are and what it is attached to. */
interface Listed {
  documentId: string;
  /** The request for its bytes, relative to the API base. */
  path: string;
  fileName: string | null;
  voucher: VoucherRef;
}

const at = (path: string): SourceLocation => ({ file: 'fortnox', path });

/** The voucher a Fortnox reference names, if it names one of `year`'s. */
function voucherOf(year: SourceFiscalYear, series: string | null | undefined, number: string | number | null | undefined, yearId: string | number | null | undefined): VoucherRef | null {
  if (!series || number === null || number === undefined || number === '' || Number(number) === 0) return null;
  if (yearId !== null && yearId !== undefined && String(yearId) !== year.source_year_ref) return null;
  return { journal_id: series, voucher_number: String(number) };
}

const archived = (fileId: string) => `archive/${encodeURIComponent(fileId)}`;

export function documents(client: FortnoxClient): SourceStream {
  // The supplier invoices' file connections have no year filter: read once per run.
  let supplierFiles: Promise<FxSupplierInvoiceFileConnection[]> | null = null;
  // A file listed twice (a voucher and its supplier invoice, two years) is fetched once a run.
  const fetched = new Map<string, Promise<HeldDocument>>();
  const fetch = (path: string, sink: DocumentSink): Promise<HeldDocument> => {
    let stored = fetched.get(path);
    if (!stored) {
      stored = client.stream(path).then((body) => sink.store(body));
      fetched.set(path, stored);
      // A failed download is tried again by the next read, not remembered.
      stored.catch(() => fetched.delete(path));
    }
    return stored;
  };

  /** Every document of the year, in the order Fortnox lists them: vouchers', suppliers', customers'. */
  async function listed(year: SourceFiscalYear): Promise<Listed[]> {
    const out: Listed[] = [];
    for await (const page of client.pages<FxVoucherFileConnection>('voucherfileconnections', 'VoucherFileConnections', { voucheryear: year.source_year_ref })) {
      for (const c of page.values) {
        const voucher = voucherOf(year, c.VoucherSeries, c.VoucherNumber, c.VoucherYear);
        if (voucher) out.push({ documentId: `voucher:${c.FileId}`, path: archived(c.FileId), fileName: null, voucher });
      }
    }

    const supplierInvoices = new Map<string, VoucherRef>();
    for await (const page of client.pages<FxSupplierInvoice>('supplierinvoices', 'SupplierInvoices', { financialyear: year.source_year_ref })) {
      for (const s of page.values) {
        // The invoice's own voucher first, before its payments'.
        const vouchers = [...(s.Vouchers ?? [])].sort((a, b) => Number(b.ReferenceType === 'SUPPLIERINVOICE') - Number(a.ReferenceType === 'SUPPLIERINVOICE'));
        const voucher = vouchers.map((v) => voucherOf(year, v.Series, v.Number, v.Year)).find((v) => v !== null);
        if (voucher) supplierInvoices.set(String(s.GivenNumber), voucher);
      }
    }
    if (supplierInvoices.size > 0) {
      supplierFiles ??= client.all<FxSupplierInvoiceFileConnection>('supplierinvoicefileconnections', 'SupplierInvoiceFileConnections');
      // A failed read is tried again by the next year's slice.
      supplierFiles.catch(() => (supplierFiles = null));
      for (const c of await supplierFiles) {
        const voucher = supplierInvoices.get(String(c.SupplierInvoiceNumber ?? ''));
        if (voucher) out.push({ documentId: `supplierinvoice:${c.FileId}`, path: archived(c.FileId), fileName: c.Name || null, voucher });
      }
    }

    for await (const page of client.pages<FxInvoice>('invoices', 'Invoices', { financialyear: year.source_year_ref })) {
      for (const i of page.values) {
        const voucher = i.Cancelled ? null : voucherOf(year, i.VoucherSeries, i.VoucherNumber, i.VoucherYear);
        const number = String(i.DocumentNumber);
        if (voucher) out.push({ documentId: `invoice:${number}`, path: `invoices/${encodeURIComponent(number)}/preview`, fileName: `Faktura ${number}.pdf`, voucher });
      }
    }
    return out;
  }

  return fiscalYearStream({
    name: 'documents',
    replaces: 'documents',
    async *read(year, slice) {
      const sink = slice.documents;
      if (!sink) throw new StreamSliceError('documents', 'the documents stream stores the files it reads and was given no document folder; run it through the sync engine.');
      const documents = await listed(year);
      const rows = inOrder(documents, DOWNLOADS_IN_FLIGHT, async function* (d): AsyncGenerator<StreamEvent> {
        const stored = sink.held(d.documentId) ?? (await fetch(d.path, sink));
        yield {
          kind: 'document',
          row: {
            document_id: d.documentId, voucher: d.voucher, fiscal_year_start: year.start_date, file_name: d.fileName,
            content_type: stored.content_type, byte_size: stored.byte_size, sha256: stored.sha256, stored_path: stored.stored_path,
          },
          location: at(d.path),
        };
      });
      yield* paged(rows, slice, documents.length);
      return null;
    },
  });
}

/** Events in pages, with progress after each. */
async function* paged(events: AsyncIterable<StreamEvent>, slice: StreamSlice, total: number): AsyncGenerator<StreamEvent[]> {
  let page: StreamEvent[] = [];
  let rows = 0;
  for await (const event of events) {
    page.push(event);
    if (page.length >= PAGE_DOCUMENTS) {
      rows += page.length;
      slice.onPage?.({ rows, estimatedTotal: total });
      yield page;
      page = [];
    }
  }
  rows += page.length;
  slice.onPage?.({ rows, estimatedTotal: total });
  yield page;
}
