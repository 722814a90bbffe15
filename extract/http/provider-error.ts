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
