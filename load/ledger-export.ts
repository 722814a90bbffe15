import { findFiscalYear } from '../model/index.ts';
import type { AccountRow, BudgetRow, DimensionRow, FiscalYearRow, JournalRow, LedgerExport, LedgerLine, OrganizationInfo, PartyRow, TaxCodeRow, Voucher } from '../model/index.ts';
import type { Warehouse } from './warehouse.ts';
import { WarehouseError } from './warehouse-error.ts';

// Column values as DuckDB's JSON conversion gives them; each query's SQL fixes their types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type JsonRow = Record<string, any>;

const parseExtra = (text: string | null) => (text ? (JSON.parse(text) as Record<string, unknown>) : null);
const money = (text: string | null) => (text === null ? null : BigInt(text));

/**
 * One fiscal year of one organization read back out of the warehouse in the shape the file
 * writers take. Vouchers stream from DuckDB chunk by chunk, so a year of millions of lines
 * never sits in memory at once.
 */
export async function readLedgerExport(warehouse: Warehouse, orgId: string, fiscalYear: string): Promise<LedgerExport> {
  const org = await warehouse.one<JsonRow>('SELECT name, country, org_number, base_currency, source_company_ref FROM organization WHERE org_id = $1', [orgId]);
  if (!org) throw new WarehouseError(`The warehouse has no organization "${orgId}"; import or sync it first.`);
  const years = await warehouse.all<JsonRow>(
    `SELECT start_date::VARCHAR AS start_date, end_date::VARCHAR AS end_date, label, is_closed::VARCHAR AS is_closed FROM fiscal_year WHERE org_id = $1 ORDER BY start_date`,
    [orgId],
  );
  const { year, why } = findFiscalYear(years as { start_date: string; end_date: string; label: string; is_closed: string }[], fiscalYear);
  if (!year) throw new WarehouseError(`Organization "${orgId}" ${why}`);
  const fy: FiscalYearRow = { start_date: year.start_date!, end_date: year.end_date!, label: year.label!, is_closed: year.is_closed === 'true' };
  const params = [orgId, fy.start_date];

  const accounts = await warehouse.all<JsonRow>(
    `WITH opening AS (SELECT account_id, (amount * 100)::BIGINT AS opening FROM opening_balance WHERE org_id = $1 AND fiscal_year_start = $2::DATE),
          movement AS (SELECT account_id, (sum(amount) * 100)::BIGINT AS movement FROM ledger_line WHERE org_id = $1 AND fiscal_year_start = $2::DATE GROUP BY account_id)
     SELECT a.*, coalesce(o.opening, 0)::VARCHAR AS opening, (coalesce(o.opening, 0) + coalesce(m.movement, 0))::VARCHAR AS closing
     FROM account a LEFT JOIN opening o USING (account_id) LEFT JOIN movement m USING (account_id)
     WHERE a.org_id = $1 ORDER BY a.account_id`,
    params,
  );
  const totals = await warehouse.one<JsonRow>(
    `SELECT (SELECT count(*) FROM voucher WHERE org_id = $1 AND fiscal_year_start = $2::DATE)::VARCHAR AS entries,
            coalesce(sum(amount) FILTER (WHERE amount > 0) * 100, 0)::BIGINT::VARCHAR AS debit,
            coalesce(-sum(amount) FILTER (WHERE amount < 0) * 100, 0)::BIGINT::VARCHAR AS credit
     FROM ledger_line WHERE org_id = $1 AND fiscal_year_start = $2::DATE`,
    params,
  );
  const rows = <T>(sql: string, map: (r: JsonRow) => T, p: unknown[] = [orgId]) => warehouse.all<JsonRow>(sql, p as never).then((r) => r.map(map));

  return {
    organization: {
      name: org.name!,
      country: org.country as OrganizationInfo['country'],
      org_number: org.org_number,
      base_currency: org.base_currency!,
      source_company_ref: org.source_company_ref,
    },
    fiscal_year: fy,
    accounts: accounts.map((a) => ({
      account_id: a.account_id!,
      name: a.name!,
      account_type: a.account_type as AccountRow['account_type'],
      standard_account_id: a.standard_account_id,
      grouping_category: a.grouping_category,
      grouping_code: a.grouping_code,
      default_vat_code: a.default_vat_code,
      is_active: String(a.is_active) === 'true',
      extra: parseExtra(a.extra),
      opening: BigInt(a.opening!),
      closing: BigInt(a.closing!),
    })),
    journals: await rows<JournalRow>('SELECT journal_id, name, journal_type, extra FROM journal WHERE org_id = $1 ORDER BY journal_id', (r) => ({ journal_id: r.journal_id!, name: r.name!, journal_type: r.journal_type!, extra: parseExtra(r.extra) })),
    dimensions: await rows<DimensionRow>('SELECT dimension_type, dimension_id, name, is_active::VARCHAR AS is_active FROM dimension WHERE org_id = $1 ORDER BY ALL', (r) => ({ dimension_type: r.dimension_type!, dimension_id: r.dimension_id!, name: r.name!, is_active: r.is_active === 'true' })),
    parties: await rows<PartyRow>('SELECT * FROM party WHERE org_id = $1 ORDER BY party_type, party_id', (r) => ({ party_type: r.party_type as PartyRow['party_type'], party_id: r.party_id!, name: r.name!, org_number: r.org_number, country: r.country, extra: parseExtra(r.extra) })),
    tax_codes: await rows<TaxCodeRow>('SELECT tax_code, description, rate::VARCHAR AS rate, standard_tax_code FROM tax_code WHERE org_id = $1 ORDER BY tax_code', (r) => ({ tax_code: r.tax_code!, description: r.description, rate: r.rate === null ? null : r.rate.replace(/\.?0+$/, ''), standard_tax_code: r.standard_tax_code })),
    budget: await rows<BudgetRow>(
      'SELECT account_id, month::VARCHAR AS month, dimension_type, dimension_id, (amount * 100)::BIGINT::VARCHAR AS amount FROM budget WHERE org_id = $1 AND fiscal_year_start = $2::DATE ORDER BY ALL',
      (r) => ({ account_id: r.account_id!, month: r.month!, dimension_type: r.dimension_type, dimension_id: r.dimension_id, amount: BigInt(r.amount!) }),
      params,
    ),
    totals: { entries: Number(totals?.entries ?? 0), debit: BigInt(totals?.debit ?? 0), credit: BigInt(totals?.credit ?? 0) },
    vouchers: () => streamVouchers(warehouse, orgId, fy.start_date),
  };
}

async function* streamVouchers(warehouse: Warehouse, orgId: string, fiscalYearStart: string): AsyncGenerator<Voucher> {
  const result = await warehouse.connection.stream(
    `WITH dims AS (
       SELECT voucher_id, line_no, list(dimension_type || chr(31) || dimension_id ORDER BY dimension_type) AS dims
       FROM ledger_line_dimension WHERE org_id = $1 AND voucher_id IN (SELECT voucher_id FROM voucher WHERE org_id = $1 AND fiscal_year_start = $2::DATE)
       GROUP BY ALL)
     SELECT v.voucher_id, v.journal_id, v.voucher_number, v.voucher_date::VARCHAR, v.posting_date::VARCHAR, v.description,
            strftime(v.source_modified_at, '%Y-%m-%dT%H:%M:%S.%gZ'), v.extra,
            l.account_id, (l.amount * 100)::BIGINT::VARCHAR, l.currency, (l.currency_amount * 100)::BIGINT::VARCHAR, l.vat_code, l.description,
            l.party_type, l.party_id, l.extra, array_to_string(d.dims, chr(30))
     FROM voucher v JOIN ledger_line l ON l.org_id = v.org_id AND l.voucher_id = v.voucher_id
     LEFT JOIN dims d ON d.voucher_id = l.voucher_id AND d.line_no = l.line_no
     WHERE v.org_id = $1 AND v.fiscal_year_start = $2::DATE
     ORDER BY v.journal_id, TRY_CAST(v.voucher_number AS BIGINT) NULLS LAST, v.voucher_number, v.voucher_id, l.line_no`,
    [orgId, fiscalYearStart],
  );
  let current: Voucher | null = null;
  let currentId: string | null = null;
  for await (const rows of result.yieldRowsJson()) {
    for (const r of rows as JsonRow[]) {
      if (r[0] !== currentId) {
        if (current) yield current;
        currentId = r[0]!;
        current = { journal_id: r[1]!, voucher_number: r[2]!, voucher_date: r[3]!, posting_date: r[4], description: r[5], source_modified_at: r[6], extra: parseExtra(r[7]!), lines: [] };
      }
      const line: LedgerLine = {
        account_id: r[8]!,
        amount: BigInt(r[9]!),
        currency: r[10],
        currency_amount: money(r[11]!),
        vat_code: r[12],
        description: r[13],
        party_type: r[14] as LedgerLine['party_type'],
        party_id: r[15],
        dimensions: r[17] ? r[17].split('\u001e').map((d: string) => {
          const [dimension_type, dimension_id] = d.split('\u001f');
          return { dimension_type: dimension_type!, dimension_id: dimension_id! };
        }) : [],
        extra: parseExtra(r[16]!),
      };
      current!.lines.push(line);
    }
  }
  if (current) yield current;
}
