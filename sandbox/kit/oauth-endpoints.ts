// An OAuth2 authorization server's endpoints (RFC 6749), provider-neutral: authorize, where the
// simulated person decides at once and is redirected back with a code (or `access_denied`), the
// token endpoint (authorization_code and refresh_token grants, HTTP Basic client
// authentication, form-encoded body) and, where the provider has one, revoke by bearer token.
import type { SimRequest, SimResponse } from './http-server.ts';
import { invalidRequest, unauthorized, type GrantStore } from './oauth-grants.ts';
import { SimFailure, oauthErrorResponse } from './sim-failure.ts';

export interface OAuthRoute {
  method: 'GET' | 'POST';
  pattern: string;
  handle(req: SimRequest): SimResponse;
}

export interface OAuthServerOptions<A> {
  /** Paths as the router sees them, e.g. Fiken's `/oauth/token`, Fortnox's `/oauth-v1/token`. */
  paths: { authorize: string; token: string; revoke?: string };
  /** Realm of the token endpoint's `WWW-Authenticate: Basic` challenge. */
  realm: string;
  /** The person's answer on the consent page: what they approve, or null to decline. */
  consent(query: URLSearchParams): A | null;
}

const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

export function oauthRoutes<A>(grants: GrantStore<A>, options: OAuthServerOptions<A>): OAuthRoute[] {
  const routes: OAuthRoute[] = [
    { method: 'GET', pattern: options.paths.authorize, handle: (req) => authorize(grants, options, req) },
    { method: 'POST', pattern: options.paths.token, handle: (req) => guard(() => token(grants, options, req)) },
  ];
  if (options.paths.revoke) {
    routes.push({
      method: 'POST',
      pattern: options.paths.revoke,
      handle: (req) =>
        guard(() => {
          grants.revoke(grants.authenticate(bearerToken(req)));
          return { status: 200 };
        }),
    });
  }
  return routes;
}

function guard(run: () => SimResponse): SimResponse {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof SimFailure)) throw error;
    const response = oauthErrorResponse(error);
    return { ...response, headers: { ...NO_STORE, ...response.headers } };
  }
}

/**
 * Errors about the client or the redirect URI must not redirect (the URI may be an
 * attacker's), so they answer 400 here; a real browser would see the provider's error page.
 */
function authorize<A>(grants: GrantStore<A>, options: OAuthServerOptions<A>, req: SimRequest): SimResponse {
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
  const approval = q.get('response_type') === 'code' ? options.consent(q) : null;
  if (q.get('response_type') !== 'code') {
    target.searchParams.set('error', 'unsupported_response_type');
    target.searchParams.set('error_description', 'response_type must be code.');
  } else if (approval === null) {
    target.searchParams.set('error', 'access_denied');
    target.searchParams.set('error_description', 'The user declined the consent.');
  } else {
    target.searchParams.set('code', grants.authorize(redirectUri, state, approval));
  }
  target.searchParams.set('state', state);
  return { status: 302, headers: { Location: target.toString(), ...NO_STORE } };
}

function token<A>(grants: GrantStore<A>, options: OAuthServerOptions<A>, req: SimRequest): SimResponse {
  const client = basicCredentials(req.headers.authorization);
  if (!client || !grants.clientMatches(client.id, client.secret)) {
    throw new SimFailure(401, 'invalid_client', 'Client authentication failed: send HTTP Basic client_id:client_secret.', { 'WWW-Authenticate': `Basic realm="${options.realm}"` });
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
