import type { IsoDate } from './ledger-model.ts';

/** What a lookup needs of a fiscal year: rows from a source or from the warehouse both fit. */
export interface FiscalYearKey {
  start_date: IsoDate;
  end_date: IsoDate;
  label: string;
}

/**
 * The found year, or why none was: `why` completes a sentence whose subject is the
 * organization ("Organization "x" has no fiscal year 20; it has 2024, 2025. ...").
 */
export type FiscalYearLookup<Y> = { year: Y; why?: never } | { year?: never; why: string };

/**
 * The fiscal year a user asked for (`--fiscal-year`): its exact label (`2025`, `2024/2025`),
 * its exact start date, or a four-digit year it starts in or, failing that, ends in. Nothing
 * looser: `20` matches no year. Two years matching alike (a short year and the next both
 * starting in 2024) is an ambiguity to name, not a guess.
 */
export function findFiscalYear<Y extends FiscalYearKey>(years: readonly Y[], wanted: string): FiscalYearLookup<Y> {
  const w = wanted.trim();
  const tiers: ((y: Y) => boolean)[] = [(y) => y.label === w, (y) => y.start_date === w];
  if (/^\d{4}$/.test(w)) tiers.push((y) => y.start_date.slice(0, 4) === w, (y) => y.end_date.slice(0, 4) === w);
  for (const matches of tiers) {
    const found = years.filter(matches);
    if (found.length === 1) return { year: found[0]! };
    if (found.length > 1) return { why: `has more than one fiscal year matching ${w} (${listed(found)}); give the label of the one you mean.` };
  }
  if (years.length === 0) return { why: `has no fiscal years yet, so none matches ${w}; import or sync it first.` };
  return { why: `has no fiscal year ${w}; it has ${listed(years)}. Give a year's label, or the four-digit year it starts or ends in.` };
}

function listed(years: readonly FiscalYearKey[]): string {
  return [...years]
    .sort((a, b) => a.start_date.localeCompare(b.start_date))
    .map((y) => y.label)
    .join(', ');
}
