import { randomBytes } from 'node:crypto';
import { request } from 'undici';

export const FIKEN_URLS = {
  api: 'https://api.fiken.no/api/v2',
  authorize: 'https://fiken.no/oauth/authorize',
  token: 'https://fiken.no/oauth/token',
} as const;

/** The app's registration with Fiken (developer mode → Apps). */
export interface FikenApp {
  clientId: string;
  clientSecret: string;
  authorizeUrl: string;
  tokenUrl: string;
}

export interface FikenTokens {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms when the access token lapses, by our clock. */
  expiresAt: number;
}

/**
 * The person's consent is gone (revoked in Fiken, or the refresh token expired): only a new
 * consent helps, and the message says how to give it.
 */
export class ConsentError extends Error {
  override readonly name = 'ConsentError';
  constructor(
    readonly orgHint: string,
    why: string,
  ) {
    super(`fiken: re-consent needed: ${why}; run "ledgerhouse connect ${orgHint}" and approve ledgerhouse in Fiken again.`);
  }
}

/** The consent could not be completed (refused, a stale or foreign address): nothing was stored. */
export class ConsentFlowError extends Error {
  override readonly name = 'ConsentFlowError';
  constructor(why: string) {
    super(`The Fiken consent failed: ${why}`);
  }
}

/** A fresh `state` for one consent: it ties the redirect to the request we made. */
export function newState(): string {
  return randomBytes(18).toString('base64url');
}

export function authorizationUrl(app: FikenApp, redirectUri: string, state: string): string {
  const url = new URL(app.authorizeUrl);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', app.clientId);
  url.searchParams.set('redirect_uri', redirectUri);
  url.searchParams.set('state', state);
  return url.toString();
}

/**
 * The code from the redirect URL, once its `state` is ours. A person who refused, or a URL
 * from another attempt, gets a sentence saying so.
 */
export function codeFromRedirect(redirectUrl: string, expectedState: string): string {
  let url: URL;
  try {
    url = new URL(redirectUrl.trim());
  } catch {
    throw new ConsentFlowError('that is not a URL; paste the whole address the browser was sent to after approving.');
  }
  const error = url.searchParams.get('error');
  if (error) throw new ConsentFlowError(error === 'access_denied' ? 'the access was refused in Fiken; nothing was stored.' : `Fiken answered "${error}"; nothing was stored.`);
  if (url.searchParams.get('state') !== expectedState) throw new ConsentFlowError('the address is from another consent attempt (its state does not match); start "ledgerhouse connect" again.');
  const code = url.searchParams.get('code');
  if (!code) throw new ConsentFlowError('the address holds no authorization code; paste the address Fiken redirected to.');
  return code;
}

export function exchangeCode(app: FikenApp, code: string, redirectUri: string, orgHint: string): Promise<FikenTokens> {
  return tokenRequest(app, { grant_type: 'authorization_code', code, redirect_uri: redirectUri }, orgHint);
}

export function refreshTokens(app: FikenApp, refreshToken: string, orgHint: string): Promise<FikenTokens> {
  return tokenRequest(app, { grant_type: 'refresh_token', refresh_token: refreshToken }, orgHint);
}

async function tokenRequest(app: FikenApp, form: Record<string, string>, orgHint: string): Promise<FikenTokens> {
  const started = Date.now();
  const response = await request(app.tokenUrl, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    },
    body: new URLSearchParams(form).toString(),
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
  });
  const text = await response.body.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // described below by status
  }
  if (response.statusCode === 400 && body.error === 'invalid_grant') {
    throw new ConsentError(orgHint, form.grant_type === 'refresh_token' ? 'Fiken no longer accepts the stored refresh token (the consent was revoked or expired)' : 'the authorization code was refused (it is single-use and short-lived)');
  }
  if (response.statusCode >= 400) {
    const what = typeof body.error === 'string' ? body.error : `status ${response.statusCode}`;
    if (what === 'invalid_client') throw new Error('fiken: the token endpoint refused the app credentials (invalid_client); check FIKEN_CLIENT_ID and FIKEN_CLIENT_SECRET and run "ledgerhouse connect" again.');
    throw new Error(`fiken: POST ${new URL(app.tokenUrl).pathname} answered ${what}; try again later.`);
  }
  const accessToken = body.access_token;
  const refreshToken = body.refresh_token;
  const expiresIn = Number(body.expires_in);
  if (typeof accessToken !== 'string' || typeof refreshToken !== 'string' || !Number.isFinite(expiresIn)) {
    throw new Error('fiken: the token endpoint answered without access_token, refresh_token and expires_in; the API may have changed.');
  }
  return { accessToken, refreshToken, expiresAt: started + expiresIn * 1000 };
}
