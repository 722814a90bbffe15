// Bookkeeping (scope `bookkeeping`): accounts per financial year, voucher series, the voucher
// list (`lastmodified`, `voucherseries`, `fromdate`/`todate`), one voucher with its rows, and
// the SIE export of a year.
import { BytesBody } from '../kit/index.ts';
import { osloToday, parseOsloDateTime } from '../../model/index.ts';
import { ok, param, selectedYear, type ApiContext, type ApiRoute } from './api-route.ts';
import { badParameter, notFound } from './api-error.ts';
import { yearBalances } from './company-truth.ts';
import type { FortnoxCompany, FxVoucher, FxYear } from './fortnox-company.ts';
import { pagedArray } from './paging.ts';
import { sieExport } from './sie-export.ts';

const SIE_CACHE = new WeakMap<FortnoxCompany, Map<number, { revision: number; bytes: Promise<Uint8Array> }>>();

export function bookkeepingRoutes(): ApiRoute[] {
  const year = (ctx: ApiContext) => selectedYear(ctx, osloToday(ctx.clock));
  return [
    {
      method: 'GET',
      pattern: '/accounts',
      scope: 'bookkeeping',
      handle: (ctx) => {
        const y = year(ctx);
        const opening = yearBalances(ctx.company)[y.index]!.opening;
        return pagedArray(ctx.req.query, 'Accounts', ctx.company.accounts[y.index]!, (a) => ({
          '@url': `${ctx.apiBaseUrl}/accounts/${a.number}?financialyear=${y.id}`,
          Active: true,
          BalanceBroughtForward: opening.get(a.number) ?? 0n,
          CostCenter: '',
          CostCenterSettings: 'ALLOWED',
          Description: a.description,
          Number: a.number,
          Project: '',
          ProjectSettings: 'ALLOWED',
          SRU: a.sru ?? undefined,
          VATCode: a.vatCode ?? undefined,
          Year: y.id,
        }));
      },
    },
    {
      method: 'GET',
      pattern: '/voucherseries',
      scope: 'bookkeeping',
      handle: (ctx) => {
        const y = year(ctx);
        return pagedArray(ctx.req.query, 'VoucherSeriesCollection', ctx.company.series, (s) => ({
          '@url': `${ctx.apiBaseUrl}/voucherseries/${encodeURIComponent(s.code)}`,
          Code: s.code,
          Description: s.description,
          Manual: s.code === 'A',
          Year: y.id,
        }));
      },
    },
    {
      method: 'GET',
      pattern: '/vouchers',
      scope: 'bookkeeping',
      handle: (ctx) => {
        const y = year(ctx);
        const q = ctx.req.query;
        const since = param(q, 'lastmodified');
        const sinceMs = since === null ? null : parseOsloDateTime(since.trim());
        if (since !== null && sinceMs === null) throw badParameter(`Ogiltig parameter lastmodified: '${since}' (use YYYY-MM-DD HH:MM).`);
        const series = param(q, 'voucherseries');
        const from = param(q, 'fromdate');
        const to = param(q, 'todate');
        for (const [name, d] of [['fromdate', from], ['todate', to]] as const) {
          if (d !== null && !/^\d{4}-\d{2}-\d{2}$/.test(d)) throw badParameter(`Ogiltig parameter ${name}: '${d}'.`);
        }
        const list = ctx.company.vouchers[y.index]!.filter(
          (v) => (sinceMs === null || v.modifiedAt >= sinceMs) && (series === null || v.series === series) && (from === null || v.date >= from) && (to === null || v.date <= to),
        );
        // Recorded list items carry no date, description or approval state: those come with the voucher.
        return pagedArray(q, 'Vouchers', list, (v) => ({
          '@url': voucherUrl(ctx.apiBaseUrl, v, y),
          ReferenceNumber: v.referenceNumber,
          ReferenceType: v.referenceType,
          VoucherNumber: v.number,
          VoucherSeries: v.series,
          Year: y.id,
        }));
      },
    },
    {
      method: 'GET',
      pattern: '/vouchers/{VoucherSeries}/{VoucherNumber}',
      scope: 'bookkeeping',
      handle: (ctx) => {
        const y = year(ctx);
        const { VoucherSeries: series, VoucherNumber: number } = ctx.params;
        const v = /^\d+$/.test(number!) ? ctx.company.voucher(y.index, series!, Number(number)) : undefined;
        if (!v) throw notFound(`Kan inte hitta verifikationen ${series}${number} (financialyear ${y.id}).`);
        return ok({
          Voucher: {
            '@url': voucherUrl(ctx.apiBaseUrl, v, y),
            ApprovalState: 0,
            Comments: '',
            CostCenter: '',
            Description: v.description,
            Project: '',
            ReferenceNumber: v.referenceNumber,
            ReferenceType: v.referenceType,
            TransactionDate: v.date,
            VoucherNumber: v.number,
            VoucherRows: v.rows.map((r) => ({
              Account: r.account,
              CostCenter: r.costCenter,
              Credit: r.amount < 0n ? -r.amount : 0n,
              Debit: r.amount > 0n ? r.amount : 0n,
              Description: r.description,
              Project: r.project,
              Quantity: 0,
              Removed: r.removed,
              TransactionInformation: '',
            })),
            VoucherSeries: v.series,
            Year: y.id,
          },
        });
      },
    },
    {
      method: 'GET',
      pattern: '/sie/{Type}',
      scope: 'bookkeeping',
      handle: async (ctx) => {
        const type = ctx.params.Type!;
        if (type !== '1' && type !== '4') throw badParameter(`SIE type ${type} is not exported by this simulator; ask for type 1 or 4.`);
        const y = year(ctx);
        const bytes = await cachedSie(ctx, y, type === '1' ? 1 : 4);
        return { status: 200, body: new BytesBody(bytes, 'application/octet-stream'), headers: { 'Content-Disposition': `attachment; filename="SIE${type}_${y.from.slice(0, 4)}.se"` } };
      },
    },
  ];
}

function voucherUrl(base: string, v: FxVoucher, y: FxYear): string {
  return `${base}/vouchers/${encodeURIComponent(v.series)}/${v.number}?financialyear=${y.id}`;
}

function cachedSie(ctx: ApiContext, y: FxYear, sieType: 1 | 4): Promise<Uint8Array> {
  const c = ctx.company;
  let perYear = SIE_CACHE.get(c);
  if (!perYear) SIE_CACHE.set(c, (perYear = new Map()));
  const k = y.id * 10 + sieType;
  const hit = perYear.get(k);
  if (hit && hit.revision === c.revision) return hit.bytes;
  const bytes = sieExport(c, y, ctx.clock, sieType);
  perYear.set(k, { revision: c.revision, bytes });
  return bytes;
}

