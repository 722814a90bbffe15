import type { AccountType, Country } from '../model/index.ts';

// Account class by the national standard chart's number ranges, for sources that do not
// state it (SAF-T never does; SIE only with #KTYP). Issue-level classification into
// statement lines builds on this; here only the five account types are decided.
const ranges: Record<Country, [prefix: string, type: AccountType][]> = {
  // NS 4102: 1 assets, 20 equity, 21–29 liabilities, 3 income, 4–7 costs, 80 financial
  // income, 81–89 financial costs, tax and allocations.
  NO: [['1', 'asset'], ['20', 'equity'], ['2', 'liability'], ['3', 'income'], ['80', 'income'], ['4', 'expense'], ['5', 'expense'], ['6', 'expense'], ['7', 'expense'], ['8', 'expense']],
  // BAS: 1 assets, 20 equity, 21–29 liabilities, 3 income, 4–7 costs, 80–83 financial
  // income, 84–89 financial costs, appropriations and tax.
  SE: [['1', 'asset'], ['20', 'equity'], ['2', 'liability'], ['3', 'income'], ['80', 'income'], ['81', 'income'], ['82', 'income'], ['83', 'income'], ['4', 'expense'], ['5', 'expense'], ['6', 'expense'], ['7', 'expense'], ['8', 'expense']],
  // Finnish chart: 1 assets, 20–21 equity, 22–29 liabilities, 3 income, 4–9 costs.
  FI: [['1', 'asset'], ['20', 'equity'], ['21', 'equity'], ['2', 'liability'], ['3', 'income'], ['4', 'expense'], ['5', 'expense'], ['6', 'expense'], ['7', 'expense'], ['8', 'expense'], ['9', 'expense']],
};

export function accountTypeByNumber(country: Country | null, accountId: string): AccountType | null {
  if (!/^\d{3,}/.test(accountId)) return null;
  const table = ranges[country ?? 'NO'];
  let best: [string, AccountType] | undefined;
  for (const entry of table) {
    if (accountId.startsWith(entry[0]) && (!best || entry[0].length > best[0].length)) best = entry;
  }
  return best?.[1] ?? null;
}
