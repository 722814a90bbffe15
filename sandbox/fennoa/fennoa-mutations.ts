// Deterministic changes to a served company between two syncs: new statements (a copy of an
// existing one's rows, the next number of its series), edits (one euro moved between two rows
// of a statement, so it still balances) and deletions.
import { deriveSeed, Random, tag } from '../random.ts';
import type { FennoaCompany, Statement } from './fennoa-company.ts';

export interface FennoaMutationPlan {
  add?: number;
  edit?: number;
  delete?: number;
  /** The period to change (its first day); default the newest. */
  fiscalYearStart?: string;
  seed?: number;
}

/** A statement as change_log names it: period start year, series, number. */
export interface StatementKey {
  year: string;
  series: string;
  no: number;
}

export interface FennoaMutationReport {
  added: StatementKey[];
  edited: StatementKey[];
  deleted: StatementKey[];
}

export function mutateCompany(c: FennoaCompany, plan: FennoaMutationPlan): FennoaMutationReport {
  const count = (name: 'add' | 'edit' | 'delete') => {
    const n = plan[name] ?? 0;
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`mutate: ${name} must be a non-negative integer, got ${n}`);
    return n;
  };
  const [add, edit, del] = [count('add'), count('edit'), count('delete')];
  const period = plan.fiscalYearStart === undefined ? c.periods.at(-1)! : c.periods.find((p) => p.start === plan.fiscalYearStart);
  if (!period) throw new RangeError(`mutate: no period starts on ${plan.fiscalYearStart}; periods start on ${c.periods.map((p) => p.start).join(', ')}`);
  const rng = new Random(deriveSeed(plan.seed ?? 1, tag('fennoa-mutate'), period.id, c.revision));
  const key = (s: Statement): StatementKey => ({ year: period.start.slice(0, 4), series: s.series, no: s.no });
  const live = c.statements.filter((s) => s.period === period.id);
  for (let i = live.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [live[i], live[j]] = [live[j]!, live[i]!];
  }
  if (live.length < del + edit + (add > 0 ? 1 : 0)) throw new RangeError(`mutate: the period has ${live.length} statements, too few for this plan`);
  const deleted = live.slice(0, del);
  const edited = live.slice(del).filter((s) => s.rows.length >= 2).slice(0, edit);
  if (edited.length < edit) throw new RangeError(`mutate: asked to edit ${edit} statements, only ${edited.length} can be`);
  for (const s of edited) {
    s.rows[0] = { ...s.rows[0]!, amount: s.rows[0]!.amount + 100n };
    s.rows[1] = { ...s.rows[1]!, amount: s.rows[1]!.amount - 100n };
  }
  const gone = new Set(deleted);
  c.statements = c.statements.filter((s) => !gone.has(s));
  const added: Statement[] = [];
  const models = live.slice(del + edit);
  for (let i = 0; i < add; i++) {
    const model = models[i % models.length]!;
    const no = Math.max(0, ...c.statements.filter((s) => s.period === period.id && s.series === model.series).map((s) => s.no)) + 1;
    const s: Statement = { ...model, id: c.nextStatementId++, no, description: `${model.description ?? ''} (kopio)`, rows: model.rows.map((r) => ({ ...r })) };
    c.statements.push(s);
    added.push(s);
  }
  c.reindex();
  return { added: added.map(key), edited: edited.map(key), deleted: deleted.map(key) };
}
