import type { TrialBalanceRow } from '../../load/index.ts';

/** Nordic number formatting: space as thousands separator, comma as decimal mark. */
export function nordic(decimal: string): string {
  const negative = decimal.startsWith('-');
  const [whole, fraction = '00'] = decimal.replace('-', '').split('.');
  return `${negative ? '-' : ''}${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ' ')},${fraction.padEnd(2, '0')}`;
}

export function printTrialBalance(title: string, rows: TrialBalanceRow[]): void {
  const header = ['account', 'name', 'opening', 'debit', 'credit', 'closing'];
  const body = rows.map((r) => [r.account_id, (r.name ?? '').slice(0, 32), nordic(r.opening), nordic(r.debit), nordic(r.credit), nordic(r.closing)]);
  const sum = (key: 'opening' | 'debit' | 'credit' | 'closing') => {
    const cents = rows.reduce((acc, r) => acc + BigInt(r[key].replace('.', '')), 0n);
    const negative = cents < 0n;
    const digits = (negative ? -cents : cents).toString().padStart(3, '0');
    return nordic(`${negative ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`);
  };
  body.push(['total', '', sum('opening'), sum('debit'), sum('credit'), sum('closing')]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(`\nTrial balance: ${title}`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of body) console.log(line(row));
}
