// Tripletex's error envelope (`ApiError`) and the failure handlers throw to produce it.
import { reasonPhrase, type SimResponse } from '../kit/index.ts';

export interface ValidationMessage {
  field: string | null;
  message: string;
  path?: string | null;
  rootId?: number | null;
}

/** Thrown by a handler; the simulator answers with the envelope below. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    /** Tripletex's internal code (3000 authentication, 9000 security, 18000 validation, …). */
    readonly code: number | null,
    message: string,
    readonly developerMessage: string | null = null,
    readonly validationMessages: ValidationMessage[] | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** The internal code Tripletex uses for a status when nothing more specific applies. */
export function defaultCode(status: number): number | null {
  const codes: Record<number, number> = { 400: 4000, 401: 3000, 403: 9000, 404: 6000, 409: 7000, 422: 18000, 500: 1000 };
  return codes[status] ?? null;
}

/** The reason phrase Tripletex puts in `message` when nothing more specific applies. */
export function statusText(status: number): string {
  // Tripletex says its validation status in Norwegian; the rest are the standard phrases.
  return status === 422 ? 'Validering feilet.' : reasonPhrase(status);
}

export function errorResponse(failure: ApiFailure, requestId: string): SimResponse {
  return {
    status: failure.status,
    headers: failure.headers,
    body: {
      status: failure.status,
      code: failure.code,
      message: failure.message,
      link: 'https://tripletex.no/v2-docs/',
      developerMessage: failure.developerMessage,
      validationMessages: failure.validationMessages?.map((v) => ({ field: v.field, message: v.message, path: v.path ?? null, rootId: v.rootId ?? null })) ?? null,
      requestId,
    },
  };
}

/** 422 with one validation message, as Tripletex answers a missing or bad parameter. */
export function validationFailure(field: string, message: string): ApiFailure {
  return new ApiFailure(422, 18000, 'Validering feilet.', `${field}: ${message}`, [{ field, message }]);
}
