// Fortnox's error answers. The API's own errors are `ErrorInformation` with capitalised
// `Error`, `Message`, `Code` (the spec's schema and recorded responses; the docs show lower
// case); an expired or unknown token answers 401 `{"message":"unauthorized"}` as recorded in
// 2023. The OAuth endpoints answer RFC 6749 `{error, error_description}`.
import { SimFailure, type SimResponse } from '../kit/index.ts';

/** An API error with Fortnox's numeric code. */
export class FortnoxFailure extends SimFailure {
  constructor(
    status: number,
    readonly fortnoxCode: number,
    message: string,
  ) {
    super(status, String(fortnoxCode), message);
  }
}

/** Codes from Fortnox's error list (notes/fortnox-fennoa.md §1.1, §1.5). */
export const FX = {
  systemException: 1000003,
  invalidParameter: 2000588,
  notFound: 2000423,
  /** "Api-licens saknas": the company has no integration licence. */
  noApiLicence: 2001103,
  /** "Det finns ingen aktiv licens för önskat scope". */
  noLicenceForScope: 2001101,
  /** No access to the scope (the consent did not include it). Seen in third-party clients, not in Fortnox's list. */
  noScopeAccess: 2000663,
} as const;

export const badParameter = (message: string) => new FortnoxFailure(400, FX.invalidParameter, message);
export const notFound = (message: string) => new FortnoxFailure(404, FX.notFound, message);

export function errorInformation(status: number, code: number | null, message: string): SimResponse {
  return { status, body: { ErrorInformation: { Error: 1, Message: message, ...(code === null ? {} : { Code: code }) } } };
}

export function failureResponse(f: SimFailure): SimResponse {
  if (f instanceof FortnoxFailure) return errorInformation(f.status, f.fortnoxCode, f.message);
  if (f.status === 401) return { status: 401, body: { message: 'unauthorized' }, headers: f.headers };
  return { ...errorInformation(f.status, null, f.message), headers: f.headers };
}
