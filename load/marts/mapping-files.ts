// Reads and checks the account mapping files (load/mappings/*.csv, see its README.md). A bad
// row stops the build with the file, the line and what to change: a silently skipped row
// would move money between statement lines.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { CsvSyntaxError, parseCsv, type CsvRecord } from '../../model/index.ts';
import { accountTypes, kpiGroups, mappableLines } from './statement-lines.ts';

export type MappingCountry = 'NO' | 'SE' | 'FI';

export interface MappingRule {
  country: MappingCountry;
  /** `account_range`: by account number (or NO standard account); `saft_grouping`: by SAF-T GroupingCategory/GroupingCode. */
  kind: 'account_range' | 'saft_grouping';
  groupingCategory: string | null;
  /** Account ranges: digits of equal width; grouping rules: codes, or null for the whole category. */
  from: string | null;
  to: string | null;
  /** How much the rule covers, on one scale for all widths: the narrowest matching rule wins. */
  span: bigint;
  statementLine: string;
  accountType: string;
  kpiGroup: string | null;
  description: string;
  /** The mapping file's name and the rule's line in it. */
  file: string;
  line: number;
}

export class MappingFileError extends Error {
  override readonly name = 'MappingFileError';
  constructor(
    message: string,
    readonly file: string,
    readonly line: number | null,
  ) {
    super(message);
  }
}

export const defaultMappingsDir = join(import.meta.dirname, '..', 'mappings');

const accountColumns = ['from_account', 'to_account', 'statement_line', 'account_type'];
const groupingColumns = ['grouping_category', 'from_code', 'to_code', 'statement_line', 'account_type'];
/** Widest account number a range may name; spans are scaled to it so widths compare. */
const MAX_WIDTH = 9;
const WHOLE_CATEGORY = 10n ** 15n;

function countryOf(file: string): MappingCountry | null {
  const m = /^(no|se|fi)(?:[-_.]|$)/i.exec(basename(file));
  return m ? (m[1]!.toUpperCase() as MappingCountry) : null;
}

/** Every mapping rule in `dir`, in file-name and line order. */
export function readMappingRules(dir: string = defaultMappingsDir): MappingRule[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((f) => f.toLowerCase().endsWith('.csv')).sort();
  } catch {
    throw new MappingFileError(`The mappings folder ${dir} cannot be read; point mappingsDir at the folder holding the mapping CSV files.`, dir, null);
  }
  if (names.length === 0) throw new MappingFileError(`The mappings folder ${dir} holds no .csv files; every account would be unmapped.`, dir, null);
  const rules = names.flatMap((name) => readMappingFile(join(dir, name)));
  rejectDuplicates(rules);
  return rules;
}

export function readMappingFile(path: string): MappingRule[] {
  // Messages name the file as the user would type it; the warehouse keeps just its name.
  const file = relative(process.cwd(), path) || path;
  const name = basename(path);
  const country = countryOf(path);
  if (!country) throw new MappingFileError(`${file}: the file name must start with the country it maps (no-, se- or fi-).`, file, null);
  let parsed: ReturnType<typeof parseCsv>;
  try {
    parsed = parseCsv(readFileSync(path, 'utf8'), { handEdited: true });
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new MappingFileError(`${file} line ${error.line}: ${error.message}.`, file, error.line);
    throw error;
  }
  const kind = parsed.header.includes('grouping_category') ? 'saft_grouping' : 'account_range';
  const required = kind === 'saft_grouping' ? groupingColumns : accountColumns;
  const missing = required.filter((c) => !parsed.header.includes(c));
  if (missing.length > 0) throw new MappingFileError(`${file}: the header lacks ${missing.join(', ')}; it needs ${required.join(', ')} (kpi_group and description are optional).`, file, 1);
  return parsed.records.map((record) => toRule(record, { file, name, country, kind }));
}

function toRule(record: CsvRecord, context: { file: string; name: string; country: MappingCountry; kind: MappingRule['kind'] }): MappingRule {
  const { file, name, country, kind } = context;
  const v = record.values;
  const fail = (what: string): never => {
    throw new MappingFileError(`${file} line ${record.line}: ${what}`, file, record.line);
  };
  const statementLine = v['statement_line'] ?? '';
  if (!mappableLines.has(statementLine)) fail(`statement_line "${statementLine}" is not one of ${[...mappableLines].join(', ')}.`);
  const accountType = v['account_type'] ?? '';
  if (!accountTypes.has(accountType)) fail(`account_type "${accountType}" is not one of ${[...accountTypes].join(', ')}.`);
  const kpiGroup = v['kpi_group'] || null;
  if (kpiGroup !== null && !kpiGroups.has(kpiGroup)) fail(`kpi_group "${kpiGroup}" is not one of ${[...kpiGroups].join(', ')} (or empty).`);
  const common = { country, kind, statementLine, accountType, kpiGroup, description: v['description'] ?? '', file: name, line: record.line };

  if (kind === 'saft_grouping') {
    const groupingCategory = v['grouping_category'] ?? '';
    if (groupingCategory === '') fail('grouping_category is empty.');
    const from = v['from_code'] || null;
    const to = v['to_code'] || null;
    if ((from === null) !== (to === null)) fail('give both from_code and to_code, or neither for the whole category.');
    if (from !== null && to !== null && (from.length !== to.length || from > to)) fail(`from_code ${from} and to_code ${to} must be codes of one width, from ≤ to.`);
    const span = from === null ? WHOLE_CATEGORY : /^\d+$/.test(from) && /^\d+$/.test(to!) ? BigInt(to!) - BigInt(from) + 1n : 1n;
    return { ...common, groupingCategory, from, to, span };
  }
  const from = v['from_account'] ?? '';
  const to = v['to_account'] ?? '';
  if (!/^\d+$/.test(from) || !/^\d+$/.test(to) || from.length !== to.length || from.length > MAX_WIDTH) {
    fail(`from_account "${from}" and to_account "${to}" must be account numbers of one width (1–${MAX_WIDTH} digits).`);
  }
  if (BigInt(from) > BigInt(to)) fail(`from_account ${from} is above to_account ${to}.`);
  const span = (BigInt(to) - BigInt(from) + 1n) * 10n ** BigInt(MAX_WIDTH - from.length);
  return { ...common, groupingCategory: null, from, to, span };
}

/** The same range mapped twice would leave the winner to file order: ask instead. */
function rejectDuplicates(rules: MappingRule[]): void {
  const seen = new Map<string, MappingRule>();
  for (const rule of rules) {
    const key = [rule.country, rule.kind, rule.groupingCategory, rule.from, rule.to].join('|');
    const earlier = seen.get(key);
    if (earlier) {
      throw new MappingFileError(
        `${rule.file} line ${rule.line}: the same range is already mapped in ${earlier.file} line ${earlier.line}; keep one of them.`,
        rule.file,
        rule.line,
      );
    }
    seen.set(key, rule);
  }
}
