// The month a pack is about: `yyyy-mm`, as given on the command line.

export interface ReportPeriod {
  /** `2026-06` */
  text: string;
  year: number;
  /** 1–12 */
  month: number;
  /** First day, `2026-06-01`: how the marts key a month. */
  firstDay: string;
}

const monthNames = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** null for anything but a real `yyyy-mm` month. */
export function parsePeriod(text: string): ReportPeriod | null {
  const m = /^(\d{4})-(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  if (month < 1 || month > 12 || year < 1900) return null;
  return { text: `${m[1]}-${m[2]}`, year, month, firstDay: `${m[1]}-${m[2]}-01` };
}

/** `2026-06` or `2026-06-01` → `June 2026`. */
export function monthLabel(isoMonth: string): string {
  const [year, month] = isoMonth.split('-');
  return `${monthNames[Number(month) - 1] ?? month} ${year}`;
}

/** `2026-06` → `Jun 26`, for chart axes. */
export function shortMonthLabel(isoMonth: string): string {
  const [year, month] = isoMonth.split('-');
  return `${(monthNames[Number(month) - 1] ?? '').slice(0, 3)} ${year!.slice(2)}`;
}
