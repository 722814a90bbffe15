// The pack's one stylesheet, inline. System fonts only (a web font would be a request);
// A4 print with each section on its own page and chart colours kept when printing.
export const packStyle = `
:root { --ink: #1d2733; --muted: #5b6775; --line: #d5dbe1; --soft: #f3f5f7; --accent: #2f6f9f; --bad: #b3261e; --good: #2e7d4f; --warn: #9a6700; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; color: var(--ink); background: #fff; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", sans-serif; }
main { max-width: 1040px; margin: 0 auto; padding: 24px 32px 48px; }
section.page { padding: 8px 0 32px; border-bottom: 1px solid var(--line); }
section.page:last-child { border-bottom: none; }
h1 { font-size: 30px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 24px 0 4px; }
h3 { font-size: 15px; margin: 20px 0 6px; }
p.lead { color: var(--muted); margin: 0 0 14px; }
.title-page { min-height: 60vh; display: flex; flex-direction: column; justify-content: center; }
.title-page .period { font-size: 22px; color: var(--accent); margin: 6px 0 28px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 18px; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
.status { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; border: 1px solid currentColor; }
.status.ok, .status.succeeded { color: var(--good); }
.status.warning, .status.partial, .status.running { color: var(--warn); }
.status.error, .status.failed { color: var(--bad); }
.tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)); gap: 12px; margin: 12px 0 8px; }
.tile { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; background: var(--soft); break-inside: avoid; }
.tile .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .03em; }
.tile .value { display: block; font-size: 20px; font-weight: 650; margin: 2px 0; white-space: nowrap; }
.tile .unit { font-size: 12px; color: var(--muted); font-weight: 400; }
.tile .compare { font-size: 12px; color: var(--muted); }
.tile .change.up { color: var(--good); } .tile .change.down { color: var(--bad); }
table { width: 100%; border-collapse: collapse; margin: 8px 0 4px; font-variant-numeric: tabular-nums; }
caption { text-align: left; color: var(--muted); font-size: 12px; padding-bottom: 4px; }
th, td { padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
thead th { text-align: right; font-size: 12px; color: var(--muted); font-weight: 600; border-bottom: 2px solid var(--ink); }
thead th:first-child, td.text, th.text { text-align: left; }
td.num, th.num { text-align: right; white-space: nowrap; }
.negative { color: var(--bad); }
tr.subtotal td, tr.subtotal th { font-weight: 650; border-top: 1px solid var(--ink); }
tr.total td, tr.total th { font-weight: 700; border-top: 2px solid var(--ink); border-bottom: 3px double var(--ink); }
tr.balance td { color: var(--muted); }
tr { break-inside: avoid; }
.charts { display: grid; gap: 18px; }
figure { margin: 0; break-inside: avoid; }
figcaption { color: var(--muted); font-size: 12px; }
svg.chart { display: block; width: 100%; max-width: 720px; height: auto; }
svg.chart .grid { stroke: var(--line); stroke-width: 1; }
svg.chart .grid.zero { stroke: var(--ink); }
svg.chart .tick, svg.chart .legend { font-size: 11px; fill: var(--muted); font-family: inherit; }
svg.chart .line { fill: none; stroke-width: 2.5; stroke-linejoin: round; }
ul.notes { padding-left: 20px; }
ul.notes li { margin: 4px 0; }
.muted { color: var(--muted); }
footer { color: var(--muted); font-size: 12px; margin-top: 16px; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { font-size: 11px; }
  main { max-width: none; padding: 0; }
  section.page { border: none; padding: 0; }
  section.page + section.page { break-before: page; }
  .title-page { min-height: 240mm; }
  .tiles { grid-template-columns: repeat(5, 1fr); gap: 6px; }
  .tile { padding: 6px 8px; }
  .tile .value { font-size: 15px; }
  th, td { padding: 2px 6px; }
  h2 { margin-top: 0; }
  svg.chart { max-width: 100%; }
}
`;
