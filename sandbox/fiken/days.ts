// Days as Fiken speaks them: `yyyy-MM-dd` dates, held as day numbers (days since 1970-01-01)
// so filters and balances compare integers. "Today" is Norway's date.
import { isoOf, osloTodayDay, type Clock } from '../../model/index.ts';

export { dayOf } from '../../model/index.ts';

const texts = new Map<number, string>();

/** `yyyy-MM-dd` of a day number (memoised: a page repeats the same few dates many times). */
export function dayText(day: number): string {
  let text = texts.get(day);
  if (text === undefined) {
    text = isoOf(day);
    if (texts.size < 100_000) texts.set(day, text);
  }
  return text;
}

/** Today in Norway as a day number. */
export function today(clock: Clock): number {
  return osloTodayDay(clock);
}
