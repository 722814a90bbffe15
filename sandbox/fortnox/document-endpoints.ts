// Documents: voucher file connections (scope `connectfile`), supplier invoice file connections
// (`connectfile`), supplier invoices (`supplierinvoice`), customer invoices and their printout
// (`invoice`), and the files themselves from the archive (`archive`) or the inbox (`inbox`).
import { formatMoney, osloToday, addDays } from '../../model/index.ts';
import { BytesBody, type SimResponse } from '../kit/index.ts';
import { ok, param, selectedYear, type ApiContext, type ApiRoute } from './api-route.ts';
import { badParameter, notFound } from './api-error.ts';
import type { FxDocument } from './fortnox-documents.ts';
import { pagedArray } from './paging.ts';

export function documentRoutes(): ApiRoute[] {
  const yearId = (ctx: ApiContext, d: FxDocument) => ctx.company.years[d.voucher.year]!.id;
  const voucherConnection = (ctx: ApiContext, d: FxDocument) => ({
    '@url': `${ctx.apiBaseUrl}/voucherfileconnections/${d.fileId}`,
    FileId: d.fileId,
    VoucherDescription: d.voucher.description,
    VoucherNumber: String(d.voucher.number),
    VoucherSeries: d.voucher.series,
    VoucherYear: yearId(ctx, d),
  });
  const supplierConnection = (ctx: ApiContext, d: FxDocument) => ({
    '@url': `${ctx.apiBaseUrl}/supplierinvoicefileconnections/${d.fileId}`,
    FileId: d.fileId,
    Name: d.name,
    SupplierInvoiceNumber: d.number,
    SupplierName: d.partyName,
  });
  /** Invoices of the selected year only when `financialyear`/`fromdate`/`todate` ask for it. */
  const inDates = (ctx: ApiContext, list: FxDocument[]): FxDocument[] => {
    const q = ctx.req.query;
    let from = param(q, 'fromdate');
    let to = param(q, 'todate');
    if (param(q, 'financialyear') !== null || param(q, 'financialyeardate') !== null) {
      const y = selectedYear(ctx, osloToday(ctx.clock));
      from = from === null || from < y.from ? y.from : from;
      to = to === null || to > y.to ? y.to : to;
    }
    return list.filter((d) => (from === null || d.voucher.date >= from) && (to === null || d.voucher.date <= to));
  };
  const file = (ctx: ApiContext, id: string | null, inbox = false): SimResponse => {
    if (id === null || id === '') throw badParameter('Ange ett fil-id.');
    const d = ctx.documents.byFileId.get(id);
    // Connected files have left the inbox for the archive.
    if (!d || inbox) throw notFound(`Kan inte hitta filen ${id}.`);
    return { status: 200, body: new BytesBody(ctx.documents.content(d), d.contentType), headers: { 'Content-Disposition': `inline; filename="${d.name.replace(/["\\]/g, '_')}"` } };
  };
  return [
    {
      method: 'GET',
      pattern: '/voucherfileconnections',
      scope: 'connectfile',
      handle: (ctx) => {
        const q = ctx.req.query;
        const year = param(q, 'voucheryear');
        const series = param(q, 'voucherseries');
        const number = param(q, 'vouchernumber');
        const list = ctx.documents.receipts.filter(
          (d) => (year === null || String(yearId(ctx, d)) === year) && (series === null || d.voucher.series === series) && (number === null || String(d.voucher.number) === number),
        );
        return pagedArray(q, 'VoucherFileConnections', list, (d) => voucherConnection(ctx, d));
      },
    },
    {
      method: 'GET',
      pattern: '/voucherfileconnections/{FileId}',
      scope: 'connectfile',
      handle: (ctx) => {
        const d = ctx.documents.byFileId.get(ctx.params.FileId!);
        if (!d || d.kind !== 'receipt') throw notFound(`Kan inte hitta filkopplingen ${ctx.params.FileId}.`);
        return ok({ VoucherFileConnection: voucherConnection(ctx, d) });
      },
    },
    {
      method: 'GET',
      pattern: '/supplierinvoicefileconnections',
      scope: 'connectfile',
      handle: (ctx) => {
        const number = param(ctx.req.query, 'supplierinvoicenumber');
        const list = ctx.documents.supplierInvoices.filter((d) => number === null || d.number === number);
        return pagedArray(ctx.req.query, 'SupplierInvoiceFileConnections', list, (d) => supplierConnection(ctx, d));
      },
    },
    {
      method: 'GET',
      pattern: '/supplierinvoicefileconnections/{FileId}',
      scope: 'connectfile',
      handle: (ctx) => {
        const d = ctx.documents.byFileId.get(ctx.params.FileId!);
        if (!d || d.kind !== 'supplierinvoice') throw notFound(`Kan inte hitta filkopplingen ${ctx.params.FileId}.`);
        return ok({ SupplierInvoiceFileConnection: supplierConnection(ctx, d) });
      },
    },
    {
      method: 'GET',
      pattern: '/supplierinvoices',
      scope: 'supplierinvoice',
      handle: (ctx) =>
        pagedArray(ctx.req.query, 'SupplierInvoices', inDates(ctx, ctx.documents.supplierInvoices), (d) => ({
          '@url': `${ctx.apiBaseUrl}/supplierinvoices/${d.number}`,
          Balance: '0.00',
          Booked: true,
          Cancel: false,
          Credit: false,
          Currency: 'SEK',
          CurrencyRate: '1',
          CurrencyUnit: 1,
          DueDate: addDays(d.voucher.date, 30),
          ExternalInvoiceNumber: '',
          ExternalInvoiceSeries: '',
          GivenNumber: d.number,
          InvoiceDate: d.voucher.date,
          InvoiceNumber: d.voucher.referenceNumber,
          SupplierName: d.partyName,
          SupplierNumber: d.partyNumber,
          Total: formatMoney(d.total),
          Vouchers: [{ Number: d.voucher.number, ReferenceType: 'SUPPLIERINVOICE', Series: d.voucher.series, Year: yearId(ctx, d) }],
        })),
    },
    {
      method: 'GET',
      pattern: '/invoices',
      scope: 'invoice',
      handle: (ctx) =>
        pagedArray(ctx.req.query, 'Invoices', inDates(ctx, ctx.documents.invoices), (d) => ({
          '@url': `${ctx.apiBaseUrl}/invoices/${d.number}`,
          Balance: 0n,
          Booked: true,
          Cancelled: false,
          Currency: 'SEK',
          CurrencyRate: 1,
          CurrencyUnit: 1,
          CustomerName: d.partyName,
          CustomerNumber: d.partyNumber,
          DocumentNumber: d.number,
          DueDate: addDays(d.voucher.date, 30),
          InvoiceDate: d.voucher.date,
          InvoiceType: 'INVOICE',
          NoxFinans: false,
          OCR: d.number,
          Sent: true,
          Total: d.total,
          VoucherNumber: d.voucher.number,
          VoucherSeries: d.voucher.series,
          VoucherYear: yearId(ctx, d),
          WayOfDelivery: 'EMAIL',
        })),
    },
    // `preview` is `print` without marking the invoice sent: the same PDF.
    ...(['print', 'preview'] as const).map((how): ApiRoute => ({
      method: 'GET',
      pattern: `/invoices/{DocumentNumber}/${how}`,
      scope: 'invoice',
      handle: (ctx) => {
        const d = ctx.documents.invoices.find((x) => x.number === ctx.params.DocumentNumber);
        if (!d) throw notFound(`Kan inte hitta fakturan ${ctx.params.DocumentNumber}.`);
        return { status: 200, body: new BytesBody(ctx.documents.content(d), 'application/pdf') };
      },
    })),
    {
      method: 'GET',
      pattern: '/archive',
      scope: 'archive',
      handle: (ctx) => {
        const fileId = param(ctx.req.query, 'fileid');
        if (fileId !== null) return file(ctx, fileId);
        const path = param(ctx.req.query, 'path');
        // The root lists the connected-files folders; each lists its files.
        const folders = [
          { id: 'verifikationer', name: 'Verifikationer', docs: ctx.documents.receipts },
          { id: 'leverantorsfakturor', name: 'Leverantörsfakturor', docs: ctx.documents.supplierInvoices },
        ];
        if (path === null || path === '' || path === 'root') {
          return ok({ Folder: { Id: 'root', Name: 'root', Email: '', Files: [], Folders: folders.map((f) => ({ '@url': `${ctx.apiBaseUrl}/archive?path=${f.id}`, Id: f.id, Name: f.name })) } });
        }
        const folder = folders.find((f) => f.id === path || f.name === path);
        if (!folder) throw notFound(`Kan inte hitta mappen ${path}.`);
        return ok({
          Folder: {
            Id: folder.id,
            Name: folder.name,
            Email: '',
            Files: folder.docs.map((d) => ({ '@url': `${ctx.apiBaseUrl}/archive/${d.fileId}`, ArchiveFileId: d.fileId, Comments: '', Id: d.fileId, Name: d.name, Path: `${folder.name}/${d.name}`, Size: ctx.documents.content(d).byteLength })),
            Folders: [],
          },
        });
      },
    },
    { method: 'GET', pattern: '/archive/{id}', scope: 'archive', handle: (ctx) => file(ctx, ctx.params.id!) },
    { method: 'GET', pattern: '/inbox/{Id}', scope: 'inbox', handle: (ctx) => file(ctx, ctx.params.Id!, true) },
  ];
}
