// Deterministic synthetic company: a believable small Nordic business whose ledger is
// regenerated from the seed on demand, with an independently aggregated truth.
//
// Design, briefly:
// - One simulation core (`YearRun`, year-run.ts) walks a fiscal year day by day and writes
//   each voucher into a reusable line buffer. A sink either aggregates the buffer (truth pass,
//   truth-sink.ts, run once per year at generation time) or turns it into `Voucher` objects
//   (voucher-sink.ts, the lazy `vouchers()` stream). Both passes draw the same random
//   numbers, so they see the same ledger.
// - The only state crossing a year boundary (balances, open invoices, VAT due, fixed-asset
//   register, invoice counters; carry-state.ts) is snapshotted at each year start, so
//   `vouchers()` replays just that year with bounded memory.
// - Inside the core, money is integer minor units held in JS numbers (exact below 2^53, far
//   above any sum this generator reaches; checked on the way out) and becomes `bigint` at the
//   boundary. This keeps the hot loop free of bigint allocation.
// - Line count: a controller paces invoices so that the year lands on `linesPerYear`, counting
//   fixed vouchers exactly as they happen and estimating the ones still to come.
import type { IsoDate, LedgerExport } from '../model/index.ts';
import { buildBudget } from './budget.ts';
import { cloneCarry, type CarryState } from './carry-state.ts';
import { Setup } from './company-setup.ts';
import { buildCalendar } from './fiscal-calendar.ts';
import type { FiscalYearTruth, GenerateCompanyOptions, GeneratedCompany } from './generated-company.ts';
import { makeExport } from './ledger-export.ts';
import { PROFILES } from './profiles.ts';
import { Random, deriveSeed, tag } from './random.ts';
import { TruthSink, yearTruth } from './truth-sink.ts';
import { YearRun } from './year-run.ts';

export function generateCompany(options: GenerateCompanyOptions): GeneratedCompany {
  const { seed, country, linesPerYear } = options;
  const years = options.years ?? 3;
  const startMonth = options.fiscalYearStartMonth ?? 1;
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  if (!(country in PROFILES)) throw new RangeError(`country must be NO, SE or FI, got ${String(country)}`);
  if (!Number.isInteger(linesPerYear) || linesPerYear <= 0) throw new RangeError(`linesPerYear must be a positive integer, got ${linesPerYear}`);
  if (!Number.isInteger(years) || years < 1 || years > 50) throw new RangeError(`years must be an integer from 1 to 50, got ${years}`);
  if (!Number.isInteger(startMonth) || startMonth < 1 || startMonth > 12) throw new RangeError(`fiscalYearStartMonth must be 1–12, got ${startMonth}`);
  const currentYear = options.currentYear ?? new Date().getUTCFullYear();
  const firstYear = options.firstFiscalYear ?? currentYear - 2;

  const s = new Setup(seed, country, linesPerYear, years);
  const n = s.accountIds.length;
  let carry: CarryState = {
    balances: s.opening.slice(),
    receivables: [],
    payables: [],
    vatDue: [],
    assets: s.assets.map((a) => ({ remaining: s.opening[a.asset]!, monthly: Math.round(s.opening[a.asset]! / a.lifeMonths) })),
    invoiceNo: 10_000 + Math.floor(new Random(deriveSeed(seed, tag('invoice'))).next() * 80_000),
    supplierInvoiceNo: 0,
  };

  const truths: FiscalYearTruth[] = [];
  const exports: LedgerExport[] = [];
  let previousActuals: Float64Array | null = null;
  for (let y = 0; y < years; y++) {
    const cal = buildCalendar(y, firstYear + y, startMonth, y < years - 1);
    const startState = cloneCarry(carry);
    const sink = new TruthSink(n, cal);
    const run = new YearRun(s, cal, cloneCarry(carry), sink, seed);
    run.run();
    const next = run.carryOut();
    const { truth, closingNumbers } = yearTruth(s, cal, startState.balances, sink, run.yearResult);
    truths.push(truth);

    // Actual P&L amounts before the year-end transfer feed next year's budget.
    const actuals = new Float64Array(n);
    for (let i = 0; i < n; i++) if (s.isPnl[i] && i !== s.r.yearResultPnl) actuals[i] = closingNumbers[i]!;
    exports.push(makeExport(s, cal, startState, truth, buildBudget(s, cal, seed, previousActuals), seed));
    previousActuals = actuals;
    carry = next;
  }

  const byStart = new Map(truths.map((t) => [t.fiscal_year.start_date, t]));
  const find = (start: IsoDate) => {
    const t = byStart.get(start);
    if (!t) throw new RangeError(`no fiscal year starts on ${start}; years start on ${[...byStart.keys()].join(', ')}`);
    return t;
  };
  return {
    organization: s.organization,
    fiscalYears: exports,
    truth: { years: truths, year: find, movements: (start) => find(start).movements },
  };
}
