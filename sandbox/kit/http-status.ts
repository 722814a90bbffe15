// Names of HTTP statuses for error bodies: the reason phrase (`Too Many Requests`) and a
// machine code made from it (`too_many_requests`), for statuses with nothing more specific.
import { STATUS_CODES } from 'node:http';

export function reasonPhrase(status: number): string {
  return STATUS_CODES[status] ?? `HTTP ${status}`;
}

/** `429` → `too_many_requests`; `error` for a status without a standard name. */
export function statusCode(status: number): string {
  const phrase = STATUS_CODES[status];
  return phrase ? phrase.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '') : 'error';
}
