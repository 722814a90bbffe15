// Monthly trend chart as inline SVG: bars and lines on one shared axis, no script and no
// external resource, so it shows offline, in print and in a mail client's HTML viewer.
// Geometry uses floats (a bar a fraction of a pixel off is fine); the exact figure of each
// bar and point is in its data-value and its tooltip title.
import { attrs, escapeHtml } from './html-text.ts';
import { nordicAmount, nordicDecimal } from './nordic-format.ts';
import { monthLabel, shortMonthLabel } from './report-period.ts';

export interface ChartSeries {
  key: string;
  label: string;
  kind: 'bar' | 'line';
  color: string;
  /** Exact decimals, one per month; null where the warehouse holds no figure. */
  values: (string | null)[];
}

export interface TrendChartInput {
  id: string;
  title: string;
  description: string;
  /** `yyyy-mm`, oldest first. */
  months: string[];
  series: ChartSeries[];
  currency: string;
}

const width = 720;
const height = 280;
const margin = { top: 34, right: 16, bottom: 34, left: 84 };

export function trendChart(input: TrendChartInput): string {
  const { id, months, series } = input;
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const numbers = series.flatMap((s) => s.values.filter((v): v is string => v !== null).map(Number));
  const ticks = axisTicks(Math.min(0, ...numbers), Math.max(0, ...numbers));
  const low = ticks[0]!;
  const high = ticks.at(-1)!;
  const y = (v: number) => margin.top + plotH - ((v - low) / (high - low)) * plotH;
  const band = plotW / months.length;
  const x = (i: number) => margin.left + band * (i + 0.5);
  const bars = series.filter((s) => s.kind === 'bar');
  const barWidth = (band * 0.64) / Math.max(1, bars.length);

  const parts: string[] = [];
  for (const t of ticks) {
    parts.push(`<line class="grid${t === 0 ? ' zero' : ''}" x1="${margin.left}" x2="${width - margin.right}" y1="${r(y(t))}" y2="${r(y(t))}"/>`);
    parts.push(`<text class="tick" x="${margin.left - 6}" y="${r(y(t) + 4)}" text-anchor="end">${escapeHtml(nordicDecimal(String(t), 0))}</text>`);
  }
  months.forEach((m, i) => {
    parts.push(`<text class="tick" x="${r(x(i))}" y="${height - margin.bottom + 16}" text-anchor="middle">${escapeHtml(shortMonthLabel(m))}</text>`);
  });
  bars.forEach((s, b) => {
    s.values.forEach((v, i) => {
      if (v === null) return;
      const top = Math.min(y(Number(v)), y(0));
      // A non-zero figure keeps a sliver of a bar, so it never reads as missing.
      const h = Math.max(Math.abs(y(Number(v)) - y(0)), Number(v) === 0 ? 0 : 1);
      const left = x(i) - (barWidth * bars.length) / 2 + b * barWidth;
      parts.push(
        `<rect${attrs({ class: 'bar', 'data-series': s.key, 'data-month': months[i], 'data-value': v, x: r(left), y: r(top), width: r(barWidth * 0.92), height: r(h), fill: s.color })}>` +
          `<title>${escapeHtml(`${monthLabel(months[i]!)}, ${s.label}: ${nordicAmount(v)} ${input.currency}`)}</title></rect>`,
      );
    });
  });
  for (const s of series.filter((l) => l.kind === 'line')) {
    let d = '';
    let pen = false;
    s.values.forEach((v, i) => {
      if (v === null) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${r(x(i))} ${r(y(Number(v)))} `;
      pen = true;
    });
    if (d) parts.push(`<path${attrs({ class: 'line', 'data-series': s.key, d: d.trim(), stroke: s.color })}/>`);
    s.values.forEach((v, i) => {
      if (v === null) return;
      parts.push(
        `<circle${attrs({ class: 'point', 'data-series': s.key, 'data-month': months[i], 'data-value': v, cx: r(x(i)), cy: r(y(Number(v))), r: 3.5, fill: s.color })}>` +
          `<title>${escapeHtml(`${monthLabel(months[i]!)}, ${s.label}: ${nordicAmount(v)} ${input.currency}`)}</title></circle>`,
      );
    });
  }
  let legendX = margin.left;
  for (const s of series) {
    const mark = s.kind === 'bar'
      ? `<rect x="${legendX}" y="10" width="12" height="12" fill="${s.color}"/>`
      : `<line x1="${legendX}" x2="${legendX + 14}" y1="16" y2="16" stroke="${s.color}" stroke-width="3"/>`;
    parts.push(`${mark}<text class="legend" x="${legendX + 18}" y="20">${escapeHtml(s.label)}</text>`);
    legendX += 30 + s.label.length * 7;
  }
  parts.push(`<text class="legend unit" x="${width - margin.right}" y="20" text-anchor="end">${escapeHtml(input.currency)}</text>`);

  return (
    `<svg${attrs({ class: 'chart', id, role: 'img', 'aria-labelledby': `${id}-title ${id}-desc`, viewBox: `0 0 ${width} ${height}`, width, height, xmlns: 'http://www.w3.org/2000/svg' })}>` +
    `<title id="${id}-title">${escapeHtml(input.title)}</title><desc id="${id}-desc">${escapeHtml(input.description)}</desc>` +
    parts.join('') +
    '</svg>'
  );
}

/** Round steps (1, 2, 2.5, 5 × 10^n, at least 1) covering low..high in about four intervals. */
function axisTicks(low: number, high: number): number[] {
  if (high - low === 0) return [0, 1];
  const raw = (high - low) / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, ([1, 2, 2.5, 5, 10].find((f) => f * magnitude >= raw) ?? 10) * magnitude);
  const ticks: number[] = [];
  for (let t = Math.floor(low / step) * step; t <= Math.ceil(high / step) * step + step / 2; t += step) ticks.push(Math.round(t));
  return ticks;
}

const r = (n: number) => Math.round(n * 10) / 10;
