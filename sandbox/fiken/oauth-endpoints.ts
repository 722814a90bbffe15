// Fiken's OAuth2 endpoints (fiken.no/oauth/… in production): authorize, which here approves at
// once and redirects back with a code, the token endpoint (authorization_code and
// refresh_token grants, HTTP Basic client authentication, form-encoded body) and revoke.
import type { SimRequest, SimResponse } from '../kit/http-server.ts';
import { FikenFailure, failureResponse } from './api-error.ts';
import { invalidRequest, unauthorized, type Grant, type GrantStore } from './oauth-grants.ts';

export interface OAuthRoute {
  method: 'GET' | 'POST';
  pattern: string;
  handle(req: SimRequest): SimResponse;
}

export interface OAuthHooks {
  /** The grant behind `Authorization: Bearer …`, or a 401 failure. */
  bearerGrant(req: SimRequest): Grant;
}

const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

export function oauthRoutes(grants: GrantStore, hooks: OAuthHooks): OAuthRoute[] {
  return [
    { method: 'GET', pattern: '/oauth/authorize', handle: (req) => authorize(grants, req) },
    { method: 'POST', pattern: '/oauth/token', handle: (req) => guard(() => token(grants, req)) },
    {
      method: 'POST',
      pattern: '/oauth/revoke',
      handle: (req) =>
        guard(() => {
          grants.revoke(hooks.bearerGrant(req));
          return { status: 200 };
        }),
    },
  ];
}

function guard(run: () => SimResponse): SimResponse {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof FikenFailure)) throw error;
    const response = failureResponse(error);
    return { ...response, headers: { ...NO_STORE, ...response.headers } };
  }
}

/**
 * Errors about the client or the redirect URI must not redirect (the URI may be an
 * attacker's), so they answer 400 here; a real browser would see Fiken's error page.
 */
function authorize(grants: GrantStore, req: SimRequest): SimResponse {
  const q = req.query;
  const page = (message: string): SimResponse => ({ status: 400, body: { error: 'invalid_request', error_description: message } });
  for (const name of ['response_type', 'client_id', 'redirect_uri', 'state']) {
    if (!q.get(name)) return page(`The parameter ${name} is required.`);
  }
  if (q.get('client_id') !== grants.clientId) return page('Unknown client_id.');
  const redirectUri = q.get('redirect_uri')!;
  let target: URL;
  try {
    target = new URL(redirectUri);
  } catch {
    return page('redirect_uri must be an absolute URL.');
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return page('redirect_uri must be an http(s) URL.');
  const state = q.get('state')!;
  if (q.get('response_type') !== 'code') {
    target.searchParams.set('error', 'unsupported_response_type');
    target.searchParams.set('error_description', 'response_type must be code.');
  } else {
    target.searchParams.set('code', grants.authorize(redirectUri, state));
  }
  target.searchParams.set('state', state);
  return { status: 302, headers: { Location: target.toString(), ...NO_STORE } };
}

function token(grants: GrantStore, req: SimRequest): SimResponse {
  const client = basicCredentials(req.headers.authorization);
  if (!client || !grants.clientMatches(client.id, client.secret)) {
    throw new FikenFailure(401, 'invalid_client', 'Client authentication failed: send HTTP Basic client_id:client_secret.', { 'WWW-Authenticate': 'Basic realm="fiken"' });
  }
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') throw invalidRequest('The body must be application/x-www-form-urlencoded.');
  const form = new URLSearchParams(req.body.toString('utf8'));
  const one = (name: string): string | null => {
    const values = form.getAll(name);
    if (values.length > 1) throw invalidRequest(`The parameter ${name} is repeated.`);
    return values[0] ?? null;
  };
  const required = (name: string): string => {
    const v = one(name);
    if (!v) throw invalidRequest(`The parameter ${name} is required.`);
    return v;
  };
  const grantType = required('grant_type');
  let set;
  if (grantType === 'authorization_code') set = grants.exchangeCode(required('code'), required('redirect_uri'), one('state'));
  else if (grantType === 'refresh_token') set = grants.refreshGrant(required('refresh_token'));
  else throw invalidRequest(`grant_type must be authorization_code or refresh_token, got '${grantType}'.`);
  return { status: 200, body: set, headers: NO_STORE };
}

function basicCredentials(header: string | undefined): { id: string; secret: string } | null {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!m) return null;
  const text = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon < 0 ? null : { id: text.slice(0, colon), secret: text.slice(colon + 1) };
}

/** The bearer token of a request, or a 401 failure. */
export function bearerToken(req: SimRequest): string {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (!m) throw unauthorized('invalid_request', 'Send Authorization: Bearer <access token>.');
  return m[1]!;
}
