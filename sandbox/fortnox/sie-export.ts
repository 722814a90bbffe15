// `GET /3/sie/4?financialyear={Id}` (or type 1: chart and balances only): one financial year as an SIE 4E file in CP437, as Fortnox
// exports it (chart, #IB/#UB/#RES, cost centres and projects as objects, every voucher with its
// rows), written by formats/sie's writer from what the simulator serves now. Struck rows stay
// out (they are in no balance); the export of a year is cached until the company changes.
import { writeSie } from '../../formats/index.ts';
import type { AccountRow, Clock, LedgerExport, Voucher } from '../../model/index.ts';
import { PROFILES } from '../profiles.ts';
import { yearBalances } from './company-truth.ts';
import type { FortnoxCompany, FxYear } from './fortnox-company.ts';

export async function sieExport(c: FortnoxCompany, year: FxYear, clock: Clock, sieType: 1 | 4 = 4): Promise<Uint8Array> {
  const balances = yearBalances(c)[year.index]!;
  const source = c.source.fiscalYears[year.index]!;
  const byId = new Map(source.accounts.map((a) => [a.account_id, a]));
  const types = PROFILES.SE.dimensionTypes;
  const accounts = c.accounts[year.index]!.map((a): AccountRow & { opening: bigint; closing: bigint } => {
    const row = byId.get(String(a.number));
    return {
      account_id: String(a.number),
      name: a.description,
      account_type: row?.account_type ?? null,
      standard_account_id: null,
      grouping_category: null,
      grouping_code: null,
      default_vat_code: a.vatCode,
      is_active: true,
      extra: row?.extra ?? null,
      opening: balances.opening.get(a.number) ?? 0n,
      closing: balances.closing.get(a.number) ?? 0n,
    };
  });
  const vouchers = c.vouchers[year.index]!;
  let debit = 0n;
  let credit = 0n;
  for (const v of vouchers) for (const r of v.rows) if (!r.removed) r.amount > 0n ? (debit += r.amount) : (credit -= r.amount);
  const ledger: LedgerExport = {
    organization: { name: c.name, country: 'SE', org_number: c.orgNumber, base_currency: 'SEK', source_company_ref: String(c.databaseNumber) },
    fiscal_year: { start_date: year.from, end_date: year.to, label: year.from.slice(0, 4), is_closed: false },
    accounts,
    journals: c.series.map((s) => ({ journal_id: s.code, name: s.description, journal_type: 'sie:series', extra: null })),
    dimensions: [
      ...c.costCenters.map((d) => ({ dimension_type: types.department, dimension_id: d.code, name: d.description, is_active: d.active })),
      ...c.projects.map((d) => ({ dimension_type: types.project, dimension_id: d.code, name: d.description, is_active: d.active })),
    ],
    parties: [],
    tax_codes: [],
    budget: [],
    totals: { entries: vouchers.length, debit, credit },
    vouchers: async function* (): AsyncGenerator<Voucher> {
      for (const v of vouchers) {
        yield {
          journal_id: v.series,
          voucher_number: String(v.number),
          voucher_date: v.date,
          posting_date: null,
          description: v.description,
          source_modified_at: null,
          extra: null,
          lines: v.rows
            .filter((r) => !r.removed)
            .map((r) => ({
              account_id: String(r.account),
              amount: r.amount,
              currency: null,
              currency_amount: null,
              vat_code: null,
              description: r.description || null,
              party_type: null,
              party_id: null,
              dimensions: [
                ...(r.costCenter ? [{ dimension_type: types.department, dimension_id: r.costCenter }] : []),
                ...(r.project ? [{ dimension_type: types.project, dimension_id: r.project }] : []),
              ],
              extra: null,
            })),
        };
      }
    },
  };
  const chunks: Uint8Array[] = [];
  await writeSie(ledger, async (bytes) => void chunks.push(bytes), { clock, program: { name: 'Fortnox', version: '3.51.8' }, sieType });
  return Buffer.concat(chunks);
}
