// Dates as Tripletex speaks them: `YYYY-MM-DD` days and zone-less `YYYY-MM-DDThh:mm:ss.SSS`
// date-times in Norwegian local time (Europe/Oslo). Days are held as integers (days since
// 1970-01-01) so ranges are cheap to compare and search.

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const dayCache = new Map<string, number | null>();

/** Day number of a `YYYY-MM-DD` date, or null when it is not a real calendar date. */
export function dayOf(iso: string): number | null {
  const cached = dayCache.get(iso);
  if (cached !== undefined) return cached;
  const m = ISO_DATE.exec(iso);
  let day: number | null = null;
  if (m) {
    const d = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS;
    day = isoOf(d) === iso ? d : null;
  }
  // Dates repeat across a ledger; the cache is bounded so odd input cannot grow it forever.
  if (dayCache.size < 50_000) dayCache.set(iso, day);
  return day;
}

export function isoOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function addMonths(iso: string, months: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

const osloParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Oslo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function osloFields(epochMs: number): { y: string; mo: string; d: string; h: string; mi: string; s: string } {
  const p = Object.fromEntries(osloParts.formatToParts(new Date(epochMs)).map((x) => [x.type, x.value]));
  return { y: p.year!, mo: p.month!, d: p.day!, h: p.hour!, mi: p.minute!, s: p.second! };
}

/** Today's date in Norway. */
export function osloToday(now = Date.now()): string {
  const f = osloFields(now);
  return `${f.y}-${f.mo}-${f.d}`;
}

/** `YYYY-MM-DDThh:mm:ss.SSS`, Norwegian local time, as Tripletex writes `Change.timestamp`. */
export function osloDateTime(epochMs: number): string {
  const f = osloFields(epochMs);
  const ms = String(Math.floor(epochMs) % 1000).padStart(3, '0');
  return `${f.y}-${f.mo}-${f.d}T${f.h}:${f.mi}:${f.s}.${ms}`;
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/;

/**
 * A `changedSince`-style date or date-time read as Norwegian local time; epoch ms, or null
 * when it does not parse. A trailing `Z` or offset is honoured as given.
 */
export function parseOsloDateTime(text: string): number | null {
  if (/[zZ]$|[+-]\d{2}:?\d{2}$/.test(text) && text.includes('T')) {
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? null : ms;
  }
  const m = DATE_TIME.exec(text);
  if (!m) return null;
  const asUtc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), Number((m[7] ?? '0').padEnd(3, '0')));
  if (Number.isNaN(asUtc)) return null;
  // Oslo is UTC+1 or +2: take the offset at the guess, then correct once across a DST switch.
  let t = asUtc - offsetAt(asUtc);
  t = asUtc - offsetAt(t);
  return t;
}

function offsetAt(epochMs: number): number {
  const f = osloFields(epochMs);
  const local = Date.UTC(Number(f.y), Number(f.mo) - 1, Number(f.d), Number(f.h), Number(f.mi), Number(f.s));
  return local - Math.floor(epochMs / 1000) * 1000;
}
