import { randomBytes } from 'node:crypto';
import { systemClock, type Clock } from '../../model/index.ts';
import { HttpClient, type RetryPolicy } from '../http/http-client.ts';
import { ProviderHttpError } from '../http/provider-error.ts';
import { ConsentError, ConsentFlowError } from './consent-error.ts';
import type { OAuth2App, OAuth2Tokens } from './oauth2-app.ts';

/** How token endpoint calls are timed, retried and logged: as the API calls of the same run. */
export interface TokenEndpointOptions {
  /** Expiry is counted on this clock. */
  clock?: Clock;
  retry?: Partial<RetryPolicy>;
  /** Debug log; lines are redacted by the HTTP client. */
  log?: (line: string) => void;
}

/** A token endpoint is called a few times a day at most: this pace is never reached. */
const TOKEN_RATE = { concurrency: 1, requestsPerInterval: 10, intervalMs: 1000 };

/** A fresh `state` for one consent: it ties the redirect to the request we made. */
export function newState(): string {
  return randomBytes(18).toString('base64url');
}

export function authorizationUrl(app: OAuth2App, redirectUri: string, state: string): string {
  const url = new URL(app.authorizeUrl);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', app.clientId);
  url.searchParams.set('redirect_uri', redirectUri);
  url.searchParams.set('state', state);
  for (const [name, value] of Object.entries(app.authorizeParams ?? {})) url.searchParams.set(name, value);
  return url.toString();
}

/**
 * The code from the redirect URL, once its `state` is ours. A person who refused, or a URL
 * from another attempt, gets a sentence saying so.
 */
export function codeFromRedirect(app: OAuth2App, redirectUrl: string, expectedState: string): string {
  const { provider } = app;
  let url: URL;
  try {
    url = new URL(redirectUrl.trim());
  } catch {
    throw new ConsentFlowError(provider, 'that is not a URL; paste the whole address the browser was sent to after approving.');
  }
  const error = url.searchParams.get('error');
  if (error) {
    const told = app.redirectError?.(error, url.searchParams.get('error_description'));
    throw new ConsentFlowError(provider, told ?? (error === 'access_denied' ? `the access was refused in ${provider.label}; nothing was stored.` : `${provider.label} answered "${error}"; nothing was stored.`));
  }
  if (url.searchParams.get('state') !== expectedState) throw new ConsentFlowError(provider, 'the address is from another consent attempt (its state does not match); start "ledgerhouse connect" again.');
  const code = url.searchParams.get('code');
  if (!code) throw new ConsentFlowError(provider, `the address holds no authorization code; paste the address ${provider.label} redirected to.`);
  return code;
}

export function exchangeCode(app: OAuth2App, code: string, redirectUri: string, orgHint: string, options: TokenEndpointOptions = {}): Promise<OAuth2Tokens> {
  return tokenRequest(app, { grant_type: 'authorization_code', code, redirect_uri: redirectUri }, orgHint, options);
}

export function refreshTokens(app: OAuth2App, refreshToken: string, orgHint: string, options: TokenEndpointOptions = {}): Promise<OAuth2Tokens> {
  return tokenRequest(app, { grant_type: 'refresh_token', refresh_token: refreshToken }, orgHint, options);
}

/** The form POSTed with HTTP Basic client authentication (RFC 6749 §2.3.1), through the shared client. */
async function tokenRequest(app: OAuth2App, form: Record<string, string>, orgHint: string, options: TokenEndpointOptions): Promise<OAuth2Tokens> {
  const { provider } = app;
  const refreshing = form.grant_type === 'refresh_token';
  const basic = Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64');
  const endpoint = new URL(app.tokenUrl);
  const http = new HttpClient({
    provider: provider.id,
    baseUrl: new URL('.', endpoint).toString(),
    rate: TOKEN_RATE,
    // A refresh token that dies at first use must not be sent twice: the second try would end the consent.
    retry: refreshing && app.rotation === 'immediate' ? { ...options.retry, maxRetryTimeMs: 0 } : options.retry,
    headers: () => ({ authorization: `Basic ${basic}` }),
    secrets: () => [app.clientSecret, basic, form.code ?? '', form.refresh_token ?? ''],
    authHint: `the app's client id and secret were refused (invalid_client); check ${provider.clientEnv.join(' and ')} and run "ledgerhouse connect ${orgHint}" again`,
    log: options.log,
  });
  const started = (options.clock ?? systemClock).now();
  let body: Record<string, unknown> | undefined;
  try {
    body = (await http.send<Record<string, unknown>>('POST', endpoint.pathname.split('/').pop() ?? '', Object.fromEntries(endpoint.searchParams), new URLSearchParams(form))).body;
  } catch (error) {
    if (error instanceof SyntaxError) body = undefined;
    else throw refused(app, error, refreshing, orgHint);
  } finally {
    await http.close();
  }
  const accessToken = body?.access_token;
  // RFC 6749 §6: a refresh may answer without a new refresh token; the old one stays.
  const refreshToken = body?.refresh_token ?? (refreshing ? form.refresh_token : undefined);
  const expiresIn = Number(body?.expires_in);
  if (typeof accessToken !== 'string' || typeof refreshToken !== 'string' || !Number.isFinite(expiresIn)) {
    throw new ProviderHttpError(provider.id, 'POST', endpoint.pathname, 200, '', 'the token endpoint answered without access_token, refresh_token and expires_in; the API may have changed');
  }
  return { accessToken, refreshToken, expiresAt: started + expiresIn * 1000 };
}

/** `invalid_grant` means the consent (or the code) is gone: a ConsentError saying what to do. */
function refused(app: OAuth2App, error: unknown, refreshing: boolean, orgHint: string): unknown {
  if (!(error instanceof ProviderHttpError) || error.status !== 400) return error;
  const code = /"error"\s*:\s*"([^"]+)"/.exec(error.bodyExcerpt)?.[1];
  const { provider } = app;
  if (code === 'invalid_grant') {
    if (!refreshing) return new ConsentError(provider, orgHint, 'the authorization code was refused (it is single-use and short-lived)');
    const why = app.rotation === 'immediate' ? 'the consent was revoked or expired, or a run stopped between refreshing and storing the new token' : 'the consent was revoked or expired';
    return new ConsentError(provider, orgHint, `${provider.label} no longer accepts the stored refresh token (${why})`);
  }
  return new ProviderHttpError(provider.id, error.method, error.path, error.status, error.bodyExcerpt, `the token endpoint answered ${code ?? 'status 400'}; try again later`);
}
