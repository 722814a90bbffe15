// The pack as one self-contained HTML page: inline CSS and SVG, no script, and a content
// security policy that forbids every fetch, so opening it offline or from a mail shows
// exactly what was written and asks nothing of the network.
import { cashFlowItems } from './cash-flow-items.ts';
import { isZero, subtractDecimals, sumDecimals } from './decimal-text.ts';
import { attrs, escapeHtml, figure } from './html-text.ts';
import { kpiDefinitions, kpiScale, type KpiDefinition } from './kpi-definitions.ts';
import { DASH, nordicAmount, nordicDays, nordicPercent, nordicPoints, nordicRelativeChange, nordicTimes, signed } from './nordic-format.ts';
import type { BalanceLine, PackData, PnlLine } from './pack-data.ts';
import { packStyle } from './pack-style.ts';
import { monthLabel } from './report-period.ts';
import { trendChart } from './trend-chart.ts';

export interface RenderOptions {
  generatedAt: Date;
}

export function renderPackHtml(data: PackData, options: RenderOptions): string {
  const org = data.organization;
  const title = `${org.name}: month-end report, ${monthLabel(data.period.text)}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="ledgerhouse report pack">
<title>${escapeHtml(title)}</title>
<style>${packStyle}</style>
</head>
<body>
<main${attrs({ 'data-org': org.orgId, 'data-period': data.period.text, 'data-currency': org.currency })}>
${titlePage(data, options)}
${kpiPage(data)}
${trendPage(data)}
${profitAndLossPage(data)}
${balanceSheetPage(data)}
${cashFlowPage(data)}
${qualityPage(data)}
</main>
</body>
</html>
`;
}

function titlePage(data: PackData, options: RenderOptions): string {
  const org = data.organization;
  const q = data.quality.summary;
  const lastRun = q?.lastRunStatus
    ? `<span class="status ${escapeHtml(q.lastRunStatus)}">${escapeHtml(q.lastRunStatus)}</span> ${escapeHtml([q.lastRunSource, q.lastRunTrigger].filter(Boolean).join(', '))}${q.lastRunFinishedAt ? `, finished ${escapeHtml(q.lastRunFinishedAt)}` : q.lastRunStartedAt ? `, started ${escapeHtml(q.lastRunStartedAt)}, not finished` : ''}`
    : '<span class="muted">no run recorded</span>';
  const facts: [string, string][] = [
    ['Organization number', escapeHtml(org.orgNumber ?? DASH)],
    ['Country', escapeHtml(org.country ?? DASH)],
    ['Currency', escapeHtml(org.currency)],
    ['Fiscal year', `${escapeHtml(data.fiscalYear.label)} <span class="muted">(${escapeHtml(data.fiscalYear.start)} to ${escapeHtml(data.fiscalYear.end)})</span>`],
    ['Period', `${escapeHtml(data.period.firstDay)} to ${escapeHtml(data.periodEnd)}`],
    ['Source', escapeHtml(org.source)],
    ['Last sync', lastRun],
    ['Last successful sync', escapeHtml(q?.lastSucceededAt ?? DASH)],
    ['Data quality', `<span class="status ${escapeHtml(q?.status ?? 'ok')}">${escapeHtml(q?.status ?? 'unknown')}</span>`],
    ['Generated at', `<time datetime="${options.generatedAt.toISOString()}">${escapeHtml(localStamp(options.generatedAt))}</time>`],
  ];
  return `<section class="page title-page" id="title">
<p class="muted">Month-end report</p>
<h1>${escapeHtml(org.name)}</h1>
<p class="period">${escapeHtml(monthLabel(data.period.text))}</p>
<dl class="facts">${facts.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>
<h3>Contents</h3>
<ol class="muted"><li>Key figures</li><li>Trends</li><li>Profit and loss</li><li>Balance sheet</li><li>Cash flow</li><li>Data quality</li></ol>
</section>`;
}

function kpiPage(data: PackData): string {
  const { current, lastYear } = data.kpi;
  const lyLabel = monthLabel(shiftYear(data.period.text, -1));
  const tiles = kpiDefinitions.filter((k) => k.tile).map((k) => {
    const value = current[k.key] ?? null;
    const before = lastYear?.[k.key] ?? null;
    const change = subtractDecimals(value, before, kpiScale[k.unit]);
    const direction = change === null || isZero(change) ? '' : change.startsWith('-') ? ' down' : ' up';
    const relative = k.unit === 'money' ? ` <span class="muted">(${escapeHtml(nordicRelativeChange(value, before))})</span>` : '';
    return `<div${attrs({ class: 'tile', 'data-kpi': k.key })}>
<span class="label">${escapeHtml(k.label)}</span>
${figure('span', value, formatKpi(k, value), { class: 'value', 'data-field': 'value' })}${k.unit === 'money' ? `<span class="unit">${escapeHtml(data.organization.currency)}</span>` : ''}
<div class="compare">${escapeHtml(lyLabel)}: ${figure('span', before, formatKpi(k, before), { class: 'num', 'data-field': 'last_year' })}</div>
<div class="compare">Change: ${figure('span', change, formatChange(k, change), { class: `change${direction}`, 'data-field': 'change' })}${relative}</div>
</div>`;
  });
  const rows = kpiDefinitions.map((k) => {
    const ytd = k.ytd ? (current[`${k.key}_ytd`] ?? null) : null;
    const lyYtd = k.ytd ? (lastYear?.[`${k.key}_ytd`] ?? null) : null;
    return `<tr${attrs({ 'data-kpi': k.key })}><th class="text" scope="row">${escapeHtml(k.label)}</th>${figure('td', current[k.key] ?? null, formatKpi(k, current[k.key] ?? null), { 'data-column': 'value' })}${figure('td', lastYear?.[k.key] ?? null, formatKpi(k, lastYear?.[k.key] ?? null), { 'data-column': 'last_year' })}${figure('td', ytd, k.ytd ? formatKpi(k, ytd) : '', { 'data-column': 'ytd' })}${figure('td', lyYtd, k.ytd ? formatKpi(k, lyYtd) : '', { 'data-column': 'last_year_ytd' })}</tr>`;
  });
  return `<section class="page" id="kpi">
<h2>Key figures</h2>
<p class="lead">${escapeHtml(monthLabel(data.period.text))} against ${escapeHtml(lyLabel)}. Amounts in ${escapeHtml(data.organization.currency)}.</p>
<div class="tiles">${tiles.join('\n')}</div>
<table data-view="kpi"><caption>All key figures. Balances at the month end; DSO and DPO over the trailing twelve months.</caption>
<thead><tr><th>Key figure</th><th>${escapeHtml(monthLabel(data.period.text))}</th><th>${escapeHtml(lyLabel)}</th><th>Year to date</th><th>Last year to date</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>
</section>`;
}

function trendPage(data: PackData): string {
  const months = data.trend.map((t) => t.month);
  const span = `${monthLabel(months[0]!)} to ${monthLabel(months.at(-1)!)}`;
  const currency = data.organization.currency;
  const result = trendChart({
    id: 'chart-revenue-result',
    title: `Revenue and net result per month, ${span}`,
    description: `Bars: revenue; line: net result; in ${currency}. Months the warehouse does not hold are left empty.`,
    months,
    currency,
    series: [
      { key: 'revenue', label: 'Revenue', kind: 'bar', color: '#2f6f9f', values: data.trend.map((t) => t.revenue) },
      { key: 'net_result', label: 'Net result', kind: 'line', color: '#d9822b', values: data.trend.map((t) => t.netResult) },
    ],
  });
  const cash = trendChart({
    id: 'chart-cash',
    title: `Cash at month end, ${span}`,
    description: `Cash and bank balances at each month end, in ${currency}.`,
    months,
    currency,
    series: [{ key: 'cash_closing', label: 'Cash at month end', kind: 'line', color: '#2e7d4f', values: data.trend.map((t) => t.cashClosing) }],
  });
  return `<section class="page" id="trends">
<h2>Trends</h2>
<p class="lead">The last thirteen months, ${escapeHtml(span)}.</p>
<div class="charts">
<figure>${result}<figcaption>Revenue (bars) and net result (line) per month.</figcaption></figure>
<figure>${cash}<figcaption>Cash and bank at each month end.</figcaption></figure>
</div>
</section>`;
}

const pnlShown = ['amount', 'ytd', 'last_year_ytd', 'budget_ytd', 'variance_ytd'] as const;

function profitAndLossPage(data: PackData): string {
  const lines = data.profitAndLoss;
  const noBudget = lines.every((l) => l.figures['budget_ytd'] === null);
  const row = (key: string, label: string, figures: Record<string, string | null>, cls = '') =>
    `<tr${attrs({ 'data-line': key, class: cls || null })}><th class="text" scope="row">${escapeHtml(label)}</th>${pnlShown.map((c) => figure('td', figures[c] ?? null, nordicAmount(figures[c] ?? null), { 'data-column': c })).join('')}</tr>`;
  const subtotal = (members: PnlLine[]) => Object.fromEntries(pnlShown.map((c) => [c, sumDecimals(members.map((m) => m.figures[c] ?? null))]));
  const shown = (l: PnlLine) => l.statementLine === 'revenue' || pnlShown.some((c) => !isZero(l.figures[c] ?? null));

  const body: string[] = [];
  const operating = lines.filter((l) => l.inOperatingResult);
  const afterOperating = operating.at(-1);
  const net = lines.filter((l) => l.inNetResult);
  const afterNet = net.at(-1);
  for (const l of [...lines].sort((a, b) => rank(a, lines) - rank(b, lines))) {
    if (shown(l)) body.push(row(l.statementLine, l.label, l.figures));
    if (l === afterOperating) body.push(row('operating_result', 'Operating result', subtotal(operating), 'subtotal'));
    if (l === afterNet) body.push(row('net_result', 'Net result', subtotal(net), 'total'));
  }
  return `<section class="page" id="profit-and-loss">
<h2>Profit and loss</h2>
<p class="lead">${escapeHtml(monthLabel(data.period.text))} and the fiscal year ${escapeHtml(data.fiscalYear.label)} to date. Amounts in ${escapeHtml(data.organization.currency)}.</p>
<table data-view="profit_and_loss"><caption>Income positive, costs negative. Variance is year to date against budget; positive is better than budget.${noBudget ? ' No budget is held for this fiscal year.' : ''}</caption>
<thead><tr><th>Line</th><th>${escapeHtml(monthLabel(data.period.text))}</th><th>Year to date</th><th>Last year to date</th><th>Budget to date</th><th>Variance to budget</th></tr></thead>
<tbody>${body.join('\n')}</tbody></table>
</section>`;
}

/** Statement order, with lines outside every result (the year-end allocation) after the net result. */
function rank(line: PnlLine, lines: PnlLine[]): number {
  return line.inNetResult ? line.sortOrder : Math.max(...lines.map((l) => l.sortOrder)) + line.sortOrder;
}

/** The lines every balance sheet has; the others (unmapped, differences, untaxed reserves) show when not zero. */
const alwaysShown = new Set(['fixed_assets', 'current_assets', 'equity', 'current_year_result', 'long_term_liabilities', 'short_term_liabilities']);

function balanceSheetPage(data: PackData): string {
  const prev = data.previousFiscalYear;
  const row = (key: string, label: string, amount: string | null, lastYearEnd: string | null, cls = '') => {
    const change = subtractDecimals(amount, lastYearEnd);
    return `<tr${attrs({ 'data-line': key, class: cls || null })}><th class="text" scope="row">${escapeHtml(label)}</th>${figure('td', amount, nordicAmount(amount), { 'data-column': 'amount' })}${figure('td', lastYearEnd, nordicAmount(lastYearEnd), { 'data-column': 'last_year_end_amount' })}${figure('td', change, change === null ? DASH : signed(nordicAmount(change)), { 'data-column': 'change' })}</tr>`;
  };
  const side = (name: BalanceLine['side'], heading: string, total: string) => {
    const lines = data.balanceSheet.filter((l) => l.side === name);
    const kept = lines.filter((l) => alwaysShown.has(l.statementLine) || !isZero(l.amount) || !isZero(l.lastYearEndAmount));
    const sum = (pick: (l: BalanceLine) => string | null) => (lines.some((l) => pick(l) !== null) ? sumDecimals(lines.map(pick)) : null);
    return [
      `<tr class="heading"><th class="text" colspan="4" scope="rowgroup">${escapeHtml(heading)}</th></tr>`,
      ...kept.map((l) => row(l.statementLine, l.label, l.amount, l.lastYearEndAmount)),
      row(`total_${name}`, total, sum((l) => l.amount), prev ? sum((l) => l.lastYearEndAmount) : null, 'total'),
    ].join('\n');
  };
  return `<section class="page" id="balance-sheet">
<h2>Balance sheet</h2>
<p class="lead">At ${escapeHtml(data.periodEnd)} against the end of the previous fiscal year${prev ? ` (${escapeHtml(prev.end)})` : ' (none in the warehouse)'}. Amounts in ${escapeHtml(data.organization.currency)}.</p>
<table data-view="balance_sheet"><caption>Both sides positive as presented. Lines that are zero on both dates are left out.</caption>
<thead><tr><th>Line</th><th>${escapeHtml(data.periodEnd)}</th><th>${escapeHtml(prev?.end ?? 'Last year end')}</th><th>Change</th></tr></thead>
<tbody>
${side('assets', 'Assets', 'Total assets')}
${side('equity_and_liabilities', 'Equity and liabilities', 'Total equity and liabilities')}
</tbody></table>
</section>`;
}

function cashFlowPage(data: PackData): string {
  const { month, ytd } = data.cashFlow;
  const rows = cashFlowItems
    .filter((i) => !i.onlyWhenNonZero || !isZero(month[i.key] ?? null) || !isZero(ytd[i.key] ?? null))
    .map((i) => {
      const cls = i.kind === 'item' ? null : i.kind;
      return `<tr${attrs({ 'data-line': i.key, class: cls })}><th class="text" scope="row">${escapeHtml(i.label)}</th>${figure('td', month[i.key] ?? null, nordicAmount(month[i.key] ?? null), { 'data-column': 'month' })}${figure('td', ytd[i.key] ?? null, nordicAmount(ytd[i.key] ?? null), { 'data-column': 'ytd' })}</tr>`;
    });
  return `<section class="page" id="cash-flow">
<h2>Cash flow</h2>
<p class="lead">Indirect method: the result adjusted for what did not move cash. Amounts in ${escapeHtml(data.organization.currency)}.</p>
<table data-view="cash_flow"><caption>Cash in positive, cash out negative. Net cash flow is the change in cash and bank.</caption>
<thead><tr><th>Item</th><th>${escapeHtml(monthLabel(data.period.text))}</th><th>Year to date</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>
</section>`;
}

const listed = 20;

function qualityPage(data: PackData): string {
  const q = data.quality;
  const s = q.summary;
  const notes: string[] = [];
  const more = (n: number) => (n > listed ? `<p class="muted">… and ${n - listed} more in csv/data_quality.csv.</p>` : '');
  if (s?.lastRunStatus && s.lastRunStatus !== 'succeeded') {
    notes.push(`<li>The last run (${escapeHtml([s.lastRunSource, s.lastRunTrigger].filter(Boolean).join(', '))}, started ${escapeHtml(s.lastRunStartedAt ?? DASH)}) ended <span class="status ${escapeHtml(s.lastRunStatus)}">${escapeHtml(s.lastRunStatus)}</span>${s.lastRunError ? `: ${escapeHtml(s.lastRunError)}` : ''}. Figures may miss what that run should have read.</li>`);
  }
  if (q.unmappedAccounts.length > 0) {
    notes.push(`<li>${q.unmappedAccounts.length} account${q.unmappedAccounts.length === 1 ? '' : 's'} no mapping covers: their amounts sit on the "Accounts no mapping covers" lines until a mapping file places them.
<table data-view="unmapped_accounts"><thead><tr><th>Account</th><th>Name</th><th>Lines</th><th>Latest closing</th></tr></thead><tbody>${q.unmappedAccounts
      .slice(0, listed)
      .map((u) => `<tr data-account="${escapeHtml(u.accountId)}"><td class="text">${escapeHtml(u.accountId)}</td><td class="text">${escapeHtml(u.accountName ?? '')}</td>${figure('td', u.lineCount, u.lineCount)}${figure('td', u.latestClosing, nordicAmount(u.latestClosing))}</tr>`)
      .join('')}</tbody></table>${more(q.unmappedAccounts.length)}</li>`);
  }
  if (q.tieOutDifferences.length > 0) {
    notes.push(`<li>${q.tieOutDifferences.length} of ${escapeHtml(s?.tieOutBalances ?? '?')} balances stated by the source differ from the warehouse (difference = source − warehouse, debit positive).
<table data-view="tie_out"><thead><tr><th>Account</th><th>Balance</th><th>As of</th><th>Source</th><th>Warehouse</th><th>Difference</th></tr></thead><tbody>${q.tieOutDifferences
      .slice(0, listed)
      .map((t) => `<tr><td class="text">${escapeHtml(t.accountId)}</td><td class="text">${escapeHtml(t.balanceType)}</td><td class="text">${escapeHtml(t.asOf)}</td>${figure('td', t.sourceAmount, nordicAmount(t.sourceAmount))}${figure('td', t.warehouseAmount, nordicAmount(t.warehouseAmount))}${figure('td', t.difference, nordicAmount(t.difference))}</tr>`)
      .join('')}</tbody></table>${more(q.tieOutDifferences.length)}</li>`);
  }
  if (q.unbalancedVouchers.length > 0) {
    notes.push(`<li>${q.unbalancedVouchers.length} voucher${q.unbalancedVouchers.length === 1 ? ' does' : 's do'} not balance; the difference shows as "Unbalanced postings" in the cash flow.
<table data-view="unbalanced_vouchers"><thead><tr><th>Voucher</th><th>Date</th><th>Lines</th><th>Difference</th></tr></thead><tbody>${q.unbalancedVouchers
      .slice(0, listed)
      .map((u) => `<tr><td class="text">${escapeHtml(u.voucherId)}</td><td class="text">${escapeHtml(u.voucherDate ?? '')}</td>${figure('td', u.lineCount, u.lineCount)}${figure('td', u.difference, nordicAmount(u.difference))}</tr>`)
      .join('')}</tbody></table>${more(q.unbalancedVouchers.length)}</li>`);
  }
  if (q.year && (!isZero(q.year.openingTotal) || !isZero(q.year.movementTotal))) {
    notes.push(`<li>This fiscal year's own balances do not sum to zero (opening balances ${escapeHtml(nordicAmount(q.year.openingTotal))}, postings ${escapeHtml(nordicAmount(q.year.movementTotal))}); the balance sheet carries it on "Difference in the source balances".</li>`);
  }
  if (q.year && q.year.linesOutsideFiscalYear !== '0') {
    notes.push(`<li>${escapeHtml(q.year.linesOutsideFiscalYear)} ledger lines of this fiscal year are dated outside it; they count in its first or last month.</li>`);
  }
  if (q.importIssues.length > 0) {
    notes.push(`<li>Import issues recorded for this organization:
<table data-view="import_issues"><thead><tr><th>Severity</th><th>Code</th><th>Issues</th><th>Runs</th><th>Last seen</th></tr></thead><tbody>${q.importIssues
      .map((i) => `<tr><td class="text"><span class="status ${escapeHtml(i.severity)}">${escapeHtml(i.severity)}</span></td><td class="text">${escapeHtml(i.code)}</td>${figure('td', i.issueCount, i.issueCount)}${figure('td', i.runCount, i.runCount)}<td class="text">${escapeHtml(i.lastSeenAt ?? '')}</td></tr>`)
      .join('')}</tbody></table></li>`);
  }
  const clean = `<p>No data-quality issues: the last run succeeded, every account is mapped, every voucher balances${s && s.tieOutBalances !== '0' ? `, and all ${escapeHtml(s.tieOutBalances)} balances the source states agree with the warehouse` : ''}.</p>`;
  return `<section class="page" id="data-quality">
<h2>Data quality</h2>
<p class="lead">Status <span class="status ${escapeHtml(s?.status ?? 'ok')}">${escapeHtml(s?.status ?? 'unknown')}</span>. Last run: ${escapeHtml(s?.lastRunStatus ?? 'none recorded')}${s?.lastRunFinishedAt ? `, finished ${escapeHtml(s.lastRunFinishedAt)}` : ''}.</p>
${notes.length > 0 ? `<ul class="notes">${notes.join('\n')}</ul>` : clean}
<footer>Made by ledgerhouse from the warehouse's marts. The figures of every view are in csv/ beside this file, with dot decimals.</footer>
</section>`;
}

function formatKpi(k: KpiDefinition, value: string | null): string {
  if (k.unit === 'ratio') return nordicPercent(value);
  if (k.unit === 'times') return nordicTimes(value);
  if (k.unit === 'days') return nordicDays(value);
  return nordicAmount(value);
}

function formatChange(k: KpiDefinition, change: string | null): string {
  if (change === null) return DASH;
  if (k.unit === 'ratio') return nordicPoints(change);
  if (k.unit === 'times') return signed(nordicTimes(change));
  if (k.unit === 'days') return signed(nordicDays(change));
  return signed(nordicAmount(change));
}

function shiftYear(period: string, years: number): string {
  return `${Number(period.slice(0, 4)) + years}${period.slice(4)}`;
}

/** `2026-11-22 06:04 (UTC+01:00)`: the reader's clock, with its offset, so it is never ambiguous. */
function localStamp(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const offset = -date.getTimezoneOffset();
  const sign = offset < 0 ? '−' : '+';
  const abs = Math.abs(offset);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())} (UTC${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)})`;
}
