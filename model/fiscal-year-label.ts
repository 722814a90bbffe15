import type { IsoDate } from './ledger-model.ts';

/**
 * A fiscal year's name as people say it: `2025` for a year inside one calendar year,
 * `2024/2025` for a broken year that spans two.
 */
export function fiscalYearLabel(start: IsoDate, end: IsoDate): string {
  const a = start.slice(0, 4);
  const b = end.slice(0, 4);
  return a === b ? a : `${a}/${b}`;
}
