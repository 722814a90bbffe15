import { systemClock, type Clock } from './clock.ts';

/** Today in Norway (`YYYY-MM-DD`): Tripletex session expiry and Fiken's date filters count Oslo days. */
const oslo = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo' });

export function osloToday(clock: Clock = systemClock): string {
  return oslo.format(new Date(clock.now()));
}

export function addDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
