// `ledgerhouse` in its own process whose calendar reads a given day, for tests that spawn the
// CLI against a simulator on a FixedClock: both must call the same day today, whatever the
// machine's date (the suite runs under `faketime -f '+400d'` too). Only the system clock the
// CLI hands to clients and the engine moves; elapsed time (pacing, backoff) runs as usual.
// Usage: node --import tsx cli-on-day.ts <YYYY-MM-DD> <ledgerhouse arguments…>
import { systemClock } from '../../model/index.ts';

const [day, ...args] = process.argv.slice(2);
const at = Date.parse(`${day}T00:00:00Z`);
if (!Number.isFinite(at)) throw new Error(`cli-on-day: give the day as YYYY-MM-DD, not ${day}`);
const shift = at - Date.now();
(systemClock as { now: () => number }).now = () => Date.now() + shift;
const { main } = await import('../../cli/index.ts');
process.exitCode = await main(args);
