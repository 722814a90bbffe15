// Where a sync's wall time goes, from three timelines taken in the sync child: every HTTP
// request (from undici's diagnostics channels: created when the client's rate queue lets it
// go, ended when its last byte arrived), every slice (from the engine's progress hook) and
// every SQL statement (by wrapping that Warehouse object's run/all, as import-trace.ts does).
// Time with no request in flight is time the rate limit could not have been the bound.

import { subscribe } from 'node:diagnostics_channel';
import type { Warehouse } from '../load/index.ts';

export interface RequestSpan {
  method: string;
  /** Path below /v2 (Tripletex) or /api/v2 (Fiken) without query or ids, e.g. `ledger/voucher`, `companies/{slug}/journalEntries`. */
  endpoint: string;
  /** ms from the timeline's origin. */
  start: number;
  /** When its headers were written to the socket (undici:client:sendHeaders). */
  sent: number | null;
  end: number | null;
  status: number | null;
  bytes: number;
}

/** A stretch in which the event loop ran no timer: `ms` long, ending at `at + ms`. */
export interface StallSpan {
  at: number;
  ms: number;
}

/** What came before one 429, as the client saw it (ms before the 429 request's own start or send). */
export interface RateLimitedContext {
  at: number;
  /** The `lookback` requests before it, nearest first. */
  previous: { startAgoMs: number; sentAgoMs: number | null; status: number | null }[];
  /** Event-loop stalls in the 1 500 ms before its start. */
  stalls: { agoMs: number; ms: number }[];
}

export interface SliceSpan {
  label: string;
  start: number;
  end: number;
}

export interface StatementSpan {
  /** The first 100 characters. */
  text: string;
  /** The slice's voucher balance check, or the first statement of its commit. */
  marks: 'check' | 'commit' | null;
  start: number;
  end: number;
}

export interface SliceBreakdown {
  label: string;
  ms: number;
  requests: number;
  /** From the slice's voucher balance check to the start of its commit (0 when it runs none). */
  checksMs: number;
  /** From the commit's first statement (`INSERT INTO organization`) to the slice's end, COMMIT included. */
  commitMs: number;
  /** From the slice's start to its first request. */
  headMs: number;
  /** From the slice's last response to its end: the rest of the transform, the checks, the commit. */
  tailMs: number;
  /** Within the slice, time with no request in flight (head and tail included). */
  idleMs: number;
  /** Requests per second of the slice's busy time (some request in flight). */
  busyRate: number;
}

export interface TimelineSummary {
  requests: number;
  byStatus: Record<string, number>;
  ok2xx: number;
  megabytes: number;
  latencyMs: { median: number; p90: number; max: number };
  /** Time with at least one request in flight, and without, over the whole sync. */
  busyMs: number;
  idleMs: number;
  /** Before the first slice (run record, organization, fiscal years) and after the last (run record, session delete). */
  outside: { beforeMs: number; afterMs: number; requests: number };
  slices: SliceBreakdown[];
  /** Requests started per 1 s bucket of the sync, for a glance at the pacing. */
  perSecond: number[];
  /**
   * Most request starts the client made within any 1 000 ms: above the server's limit, the
   * client itself went too fast; at or below it, any 429 came from requests bunching on the
   * way (a blocked event loop on either side delays some more than others).
   */
  maxStartsIn1000ms: number;
  /** When each 429 came back, in ms after the sync started. */
  rateLimitedAt: number[];
  /** Given `lookback` (the server's requests per second): what preceded each 429. */
  rateLimitedContext?: RateLimitedContext[];
  /** Given the stalls: how many over 50 ms, and the longest. */
  stalls?: { over50ms: number; longestMs: number };
}

/** Records every undici request made in this process from now on, timed from `origin()`. */
export function recordRequests(origin: () => number): RequestSpan[] {
  const spans: RequestSpan[] = [];
  const live = new WeakMap<object, RequestSpan>();
  subscribe('undici:request:create', (message) => {
    const { request } = message as { request: { method: string; path: string } };
    const span: RequestSpan = { method: request.method, endpoint: endpointOf(request.path), start: performance.now() - origin(), sent: null, end: null, status: null, bytes: 0 };
    live.set(request, span);
    spans.push(span);
  });
  subscribe('undici:client:sendHeaders', (message) => {
    const span = live.get((message as { request: object }).request);
    if (span && span.sent === null) span.sent = performance.now() - origin();
  });
  subscribe('undici:request:headers', (message) => {
    const { request, response } = message as { request: object; response: { statusCode: number } };
    const span = live.get(request);
    if (span) span.status = response.statusCode;
  });
  subscribe('undici:request:bodyChunkReceived', (message) => {
    const { request, chunk } = message as { request: object; chunk: Buffer };
    const span = live.get(request);
    if (span) span.bytes += chunk.length;
  });
  const finish = (message: unknown) => {
    const span = live.get((message as { request: object }).request);
    if (span && span.end === null) span.end = performance.now() - origin();
  };
  subscribe('undici:request:trailers', finish);
  subscribe('undici:request:error', finish);
  return spans;
}

/**
 * Records every stretch over `thresholdMs` in which a 10 ms timer could not run (the main
 * thread was busy: JavaScript, GC, synchronous I/O), timed from `origin()`. Stop it with `stop()`.
 */
export function recordStalls(origin: () => number, thresholdMs = 20): { stalls: StallSpan[]; stop: () => void } {
  const stalls: StallSpan[] = [];
  const tick = 10;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    const late = now - last - tick;
    if (late > thresholdMs) stalls.push({ at: last + tick - origin(), ms: Math.round(late) });
    last = now;
  }, tick);
  timer.unref();
  return { stalls, stop: () => clearInterval(timer) };
}

/** Records every statement run through `warehouse.run`/`all` (and so `one`), timed from `origin()`. */
export function recordStatements(warehouse: Warehouse, origin: () => number): StatementSpan[] {
  const spans: StatementSpan[] = [];
  for (const method of ['run', 'all'] as const) {
    const original = warehouse[method].bind(warehouse) as (sql: string, params?: unknown) => Promise<unknown>;
    (warehouse as unknown as Record<string, unknown>)[method] = async (sql: string, params?: unknown) => {
      const start = performance.now() - origin();
      try {
        return await original(sql, params);
      } finally {
        const text = sql.replace(/\s+/g, ' ').trim();
        const marks = text.includes('HAVING sum(amount) <> 0') ? 'check' : text.startsWith('INSERT INTO organization') ? 'commit' : null;
        spans.push({ text: text.slice(0, 100), marks, start, end: performance.now() - origin() });
      }
    };
  }
  return spans;
}

/**
 * `/v2/ledger/voucher?…` → `ledger/voucher`, `/api/v2/companies/acme-as/journalEntries?…` →
 * `companies/{slug}/journalEntries`; numeric ids, company slugs and session tokens are dropped.
 */
function endpointOf(path: string): string {
  const parts = path.split('?')[0]!.replace(/^\/(?:api\/)?v2\//, '').split('/');
  if (parts[0] === 'token' && parts[1] === 'session' && parts[2] && !parts[2].startsWith('>') && !parts[2].startsWith(':')) return 'token/session/{token}';
  if (parts[0] === 'companies' && parts[1]) parts[1] = '{slug}';
  return parts.map((p) => (/^\d+$/.test(p) ? '{id}' : p)).join('/');
}

/** ms within [from, to) covered by at least one of the intervals. */
export function coveredMs(intervals: readonly [number, number][], from: number, to: number): number {
  const clipped = intervals
    .map(([a, b]): [number, number] => [Math.max(a, from), Math.min(b, to)])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  let total = 0;
  let [curA, curB] = [Number.NaN, Number.NaN];
  for (const [a, b] of clipped) {
    if (Number.isNaN(curA) || a > curB) {
      if (!Number.isNaN(curA)) total += curB - curA;
      [curA, curB] = [a, b];
    } else curB = Math.max(curB, b);
  }
  if (!Number.isNaN(curA)) total += curB - curA;
  return total;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

const isCheck = (s: StatementSpan) => s.marks === 'check';
const isCommitStart = (s: StatementSpan) => s.marks === 'commit';

/** `lookback`: the server's requests per second, for the context of each 429; `stalls`: from recordStalls. */
export function summariseTimeline(
  requests: readonly RequestSpan[],
  slices: readonly SliceSpan[],
  statements: readonly StatementSpan[],
  wallMs: number,
  more: { lookback?: number; stalls?: readonly StallSpan[] } = {},
): TimelineSummary {
  const ended = requests.map((r): [number, number] => [r.start, r.end ?? wallMs]);
  const byStatus: Record<string, number> = {};
  for (const r of requests) byStatus[String(r.status ?? 'none')] = (byStatus[String(r.status ?? 'none')] ?? 0) + 1;
  const latencies = ended.map(([a, b]) => b - a).sort((a, b) => a - b);
  const busyMs = coveredMs(ended, 0, wallMs);
  const firstSlice = slices.length ? Math.min(...slices.map((s) => s.start)) : wallMs;
  const lastSlice = slices.length ? Math.max(...slices.map((s) => s.end)) : wallMs;
  const perSecond = Array.from({ length: Math.ceil(wallMs / 1000) }, () => 0);
  for (const r of requests) perSecond[Math.min(perSecond.length - 1, Math.floor(r.start / 1000))]! += 1;
  return {
    requests: requests.length,
    byStatus,
    ok2xx: requests.filter((r) => r.status !== null && r.status >= 200 && r.status < 300).length,
    megabytes: +(requests.reduce((n, r) => n + r.bytes, 0) / 1e6).toFixed(1),
    latencyMs: { median: Math.round(quantile(latencies, 0.5)), p90: Math.round(quantile(latencies, 0.9)), max: Math.round(latencies.at(-1) ?? 0) },
    busyMs: Math.round(busyMs),
    idleMs: Math.round(wallMs - busyMs),
    outside: {
      beforeMs: Math.round(firstSlice),
      afterMs: Math.round(wallMs - lastSlice),
      requests: requests.filter((r) => r.start < firstSlice || r.start >= lastSlice).length,
    },
    slices: slices.map((s) => {
      const inside = requests.filter((r) => r.start >= s.start && r.start < s.end);
      const busy = coveredMs(ended, s.start, s.end);
      const lastEnd = inside.length ? Math.max(...inside.map((r) => r.end ?? s.end)) : s.start;
      const sql = statements.filter((t) => t.start >= s.start && t.start < s.end);
      const commitStart = sql.find(isCommitStart)?.start ?? s.end;
      const checkStart = sql.find(isCheck)?.start ?? commitStart;
      return {
        label: s.label,
        ms: Math.round(s.end - s.start),
        requests: inside.length,
        checksMs: Math.round(commitStart - checkStart),
        commitMs: Math.round(s.end - commitStart),
        headMs: Math.round((inside.length ? Math.min(...inside.map((r) => r.start)) : s.end) - s.start),
        tailMs: Math.round(s.end - lastEnd),
        idleMs: Math.round(s.end - s.start - busy),
        busyRate: busy > 0 ? +(inside.length / (busy / 1000)).toFixed(1) : 0,
      };
    }),
    perSecond,
    maxStartsIn1000ms: maxInWindow(requests.map((r) => r.start), 1000),
    rateLimitedAt: requests.filter((r) => r.status === 429).map((r) => Math.round(r.end ?? r.start)),
    ...(more.lookback === undefined ? {} : { rateLimitedContext: rateLimitedContext(requests, more.lookback, more.stalls ?? []) }),
    ...(more.stalls === undefined ? {} : { stalls: { over50ms: more.stalls.filter((x) => x.ms > 50).length, longestMs: Math.max(0, ...more.stalls.map((x) => x.ms)) } }),
  };
}

function rateLimitedContext(requests: readonly RequestSpan[], lookback: number, stalls: readonly StallSpan[]): RateLimitedContext[] {
  const ordered = [...requests].sort((a, b) => a.start - b.start);
  const out: RateLimitedContext[] = [];
  ordered.forEach((r, i) => {
    if (r.status !== 429) return;
    const previous = ordered.slice(Math.max(0, i - lookback), i).reverse();
    out.push({
      at: Math.round(r.start),
      previous: previous.map((p) => ({
        startAgoMs: Math.round(r.start - p.start),
        sentAgoMs: r.sent === null || p.sent === null ? null : Math.round(r.sent - p.sent),
        status: p.status,
      })),
      stalls: stalls.filter((x) => x.at + x.ms > r.start - 1500 && x.at < r.start).map((x) => ({ agoMs: Math.round(r.start - x.at), ms: x.ms })),
    });
  });
  return out;
}

/** The most of `times` within any half-open window of `windowMs`. */
function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}
