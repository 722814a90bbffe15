import type { Warehouse } from './warehouse.ts';

/**
 * The deletion guard's thresholds. A slice that replaces a year's vouchers deletes the ones
 * it lacks; a file cut short between two vouchers, or an API that answers a year with an
 * empty page, looks exactly like that. Ordinary work at the source deletes a few vouchers
 * and leaves the year about its size, so a slice is held back (nothing committed) when, in
 * one fiscal year, it would
 * - delete more than `MAX_DELETED_SHARE` of the vouchers the warehouse holds for that year,
 *   and more than `ALWAYS_ALLOWED_DELETIONS` of them; or
 * - leave fewer than `MIN_REMAINING_SHARE` of them (after its insertions), deleting at least
 *   two (a small year emptied by a cut file).
 * The operator accepts it with `--accept-deletions` (README, "Deletion guard").
 */
export const MAX_DELETED_SHARE = 0.1;
export const ALWAYS_ALLOWED_DELETIONS = 5;
export const MIN_REMAINING_SHARE = 0.5;

export interface YearDeletions {
  fiscalYearStart: string;
  label: string;
  held: number;
  deleted: number;
  remaining: number;
}

/** A slice that would delete much more than usual: held back, nothing of it committed. */
export class DeletionsHeldError extends Error {
  override readonly name = 'DeletionsHeldError';
  constructor(
    readonly orgId: string,
    readonly source: string,
    readonly years: YearDeletions[],
  ) {
    const what = years
      .map((y) => `${y.deleted} of the ${y.held} vouchers of fiscal year ${y.label} (${Math.round((100 * y.deleted) / y.held)}%, leaving ${y.remaining})`)
      .join(' and ');
    super(
      `${source} would delete ${what} of organization "${orgId}", far more than usual (a file cut short, an empty answer), so nothing of it was committed; ` +
        `if they really were deleted at the source, run it again with --accept-deletions.`,
    );
  }
}

/** Whether deleting `deleted` of `held` vouchers, leaving `remaining`, is more than usual. */
export function deletionsHeld(held: number, deleted: number, remaining: number): boolean {
  if (deleted === 0) return false;
  const tooMany = deleted > ALWAYS_ALLOWED_DELETIONS && deleted > held * MAX_DELETED_SHARE;
  const tooSmall = deleted >= 2 && remaining < held * MIN_REMAINING_SHARE;
  return tooMany || tooSmall;
}

/**
 * Per fiscal year of the pending change (temp table `slice_change`, see slice-commit.ts):
 * the years where it deletes more than usual. `held` counts every voucher the warehouse holds
 * for the year before the slice, not only the ones the slice replaces (a period's file).
 */
export async function heldDeletions(warehouse: Warehouse, orgId: string, runId: string, labels: ReadonlyMap<string, string>): Promise<YearDeletions[]> {
  const rows = await warehouse.all<{ start: string; held: string; deleted: string; inserted: string }>(
    `SELECT c.fiscal_year_start::VARCHAR AS start, h.held::VARCHAR AS held,
            count(*) FILTER (WHERE c.change = 'deleted')::VARCHAR AS deleted,
            count(*) FILTER (WHERE c.change = 'inserted')::VARCHAR AS inserted
     FROM slice_change c
     JOIN (SELECT fiscal_year_start, count(*) AS held FROM main.voucher
           WHERE org_id = $1 AND run_id IS DISTINCT FROM $2 GROUP BY fiscal_year_start) h USING (fiscal_year_start)
     GROUP BY ALL HAVING count(*) FILTER (WHERE c.change = 'deleted') > 0 ORDER BY start`,
    [orgId, runId],
  );
  const held: YearDeletions[] = [];
  for (const row of rows) {
    const [h, d, i] = [Number(row.held), Number(row.deleted), Number(row.inserted)];
    const remaining = h - d + i;
    if (deletionsHeld(h, d, remaining)) held.push({ fiscalYearStart: row.start, label: labels.get(row.start) ?? row.start, held: h, deleted: d, remaining });
  }
  return held;
}
