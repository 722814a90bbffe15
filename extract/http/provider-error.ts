/**
 * A provider's API failed for good. Carries what an operator needs (provider, method, path
 * without secrets, status, the start of the response body) and says it in one sentence.
 */
export class ProviderHttpError extends Error {
  override name = 'ProviderHttpError';
  constructor(
    readonly provider: string,
    readonly method: string,
    readonly path: string,
    readonly status: number | null,
    readonly bodyExcerpt: string,
    why: string,
    options?: { cause?: unknown },
  ) {
    super(`${provider}: ${method} ${path} ${status === null ? `failed (${bodyExcerpt})` : `answered ${status}`}: ${why}.`, options);
  }
}

/** The provider refused the credentials: retrying cannot help, the user has to act. */
export class ProviderAuthError extends ProviderHttpError {
  override name = 'ProviderAuthError';
  constructor(provider: string, method: string, path: string, status: number, bodyExcerpt: string, hint: string) {
    super(provider, method, path, status, bodyExcerpt, `the credentials were refused; ${hint}`);
  }
}

/**
 * The provider answered, but not with the kind of body asked for (an HTML login page where
 * JSON or a SIE file was expected, JSON that does not parse): retrying cannot help.
 */
export class ProviderBodyError extends ProviderHttpError {
  override name = 'ProviderBodyError';
  constructor(
    provider: string,
    method: string,
    path: string,
    status: number,
    /** As the server sent it (`text/html; charset=utf-8`), or null when it sent none. */
    readonly contentType: string | null,
    /** What the caller asked for: `JSON`, `text`, `bytes`. */
    readonly expected: string,
    bodyExcerpt: string,
    why: string,
    options?: { cause?: unknown },
  ) {
    super(provider, method, path, status, bodyExcerpt, why, options);
  }
}
