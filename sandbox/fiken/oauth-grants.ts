// The OAuth2 authorization server's state: consents (grants), authorization codes, access and
// refresh tokens. Plain state transitions; oauth-endpoints.ts speaks HTTP around them.
//
// Refresh rotation with a grace rule: every refresh answers a new refresh token, and the one
// it replaced stays usable until the new access token or the new refresh token is first used.
// A client that crashed between receiving tokens and storing them can thus retry with the old
// refresh token; the retry supersedes the lost pair, so at most one live successor exists.
import { randomBytes } from 'node:crypto';
import { FikenFailure } from './api-error.ts';

export interface Grant {
  id: number;
  /** Company indexes the person approved during this consent. */
  companies: ReadonlySet<number>;
  revoked: boolean;
}

export interface TokenSet {
  access_token: string;
  refresh_token: string;
  token_type: 'bearer';
  expires_in: number;
}

interface CodeRec {
  grant: Grant;
  redirectUri: string;
  state: string;
  expiresAt: number;
}

interface AccessRec {
  grant: Grant;
  expiresAt: number;
  /** The refresh token whose grace ends when this token is first used. */
  predecessor: string | null;
}

interface RefreshRec {
  grant: Grant;
  predecessor: string | null;
  /** The pair issued from this token, still unused; superseded when this token is used again. */
  successor: { access: string; refresh: string } | null;
}

export interface GrantOptions {
  clientId: string;
  clientSecret: string;
  approvedCompanies: readonly number[];
  accessTokenTtlSeconds: number;
  /** How long an authorization code lives ("expire after a short while"). */
  codeTtlSeconds: number;
  now?: () => number;
}

const oauthError = (status: number, code: string, message: string) => new FikenFailure(status, code, message);
export const invalidGrant = (message: string) => oauthError(400, 'invalid_grant', message);
export const invalidRequest = (message: string) => oauthError(400, 'invalid_request', message);

/** 44 characters of base64url with padding, the shape of Fiken's example tokens. */
function newToken(): string {
  return randomBytes(32).toString('base64url') + '=';
}

export class GrantStore {
  private readonly grants: Grant[] = [];
  private readonly codes = new Map<string, CodeRec>();
  private readonly access = new Map<string, AccessRec>();
  private readonly refresh = new Map<string, RefreshRec>();
  private readonly now: () => number;
  refreshes = 0;

  constructor(private readonly options: GrantOptions) {
    this.now = options.now ?? Date.now;
  }

  get clientId(): string {
    return this.options.clientId;
  }

  /** HTTP Basic credentials of the token endpoint; the secret is compared in full. */
  clientMatches(id: string, secret: string): boolean {
    return id === this.options.clientId && secret === this.options.clientSecret;
  }

  /** The person consents (always, here): a new grant and a single-use code for it. */
  authorize(redirectUri: string, state: string): string {
    const grant: Grant = { id: this.grants.length + 1, companies: new Set(this.options.approvedCompanies), revoked: false };
    this.grants.push(grant);
    const code = randomBytes(24).toString('base64url');
    this.codes.set(code, { grant, redirectUri, state, expiresAt: this.now() + this.options.codeTtlSeconds * 1000 });
    return code;
  }

  exchangeCode(code: string, redirectUri: string, state: string | null): TokenSet {
    const rec = this.codes.get(code);
    // Single use: gone at the first exchange, whatever its outcome.
    this.codes.delete(code);
    if (!rec || rec.expiresAt <= this.now() || rec.grant.revoked) throw invalidGrant('The authorization code is invalid or expired.');
    if (rec.redirectUri !== redirectUri) throw invalidGrant('The redirect_uri does not match the one the authorization code was issued to.');
    if (state !== null && state !== rec.state) throw invalidGrant('The state does not match the one the authorization code was issued with.');
    return this.issue(rec.grant, null);
  }

  refreshGrant(token: string): TokenSet {
    const rec = this.refresh.get(token);
    if (!rec || rec.grant.revoked) throw invalidGrant('The refresh token is invalid, expired or revoked.');
    // A retry within the grace: the unused pair from the earlier refresh is superseded.
    if (rec.successor) {
      this.access.delete(rec.successor.access);
      this.refresh.delete(rec.successor.refresh);
    }
    this.endGrace(rec);
    this.refreshes++;
    const set = this.issue(rec.grant, token);
    rec.successor = { access: set.access_token, refresh: set.refresh_token };
    return set;
  }

  /** The grant behind a bearer token; 401 when unknown, expired or revoked. */
  authenticate(token: string): Grant {
    const rec = this.access.get(token);
    if (!rec || rec.grant.revoked) throw unauthorized('invalid_token', 'The access token is invalid or has been revoked.');
    if (rec.expiresAt <= this.now()) throw unauthorized('invalid_token', 'The access token expired.');
    if (rec.predecessor) {
      this.killRefresh(rec.predecessor);
      rec.predecessor = null;
    }
    return rec.grant;
  }

  revoke(grant: Grant): void {
    grant.revoked = true;
  }

  revokeAll(): void {
    for (const g of this.grants) g.revoked = true;
  }

  expireAccessTokens(): void {
    for (const rec of this.access.values()) rec.expiresAt = -Infinity;
  }

  private issue(grant: Grant, predecessor: string | null): TokenSet {
    const access = newToken();
    const refresh = newToken();
    const ttl = this.options.accessTokenTtlSeconds;
    this.access.set(access, { grant, expiresAt: this.now() + ttl * 1000, predecessor });
    this.refresh.set(refresh, { grant, predecessor, successor: null });
    return { access_token: access, refresh_token: refresh, token_type: 'bearer', expires_in: ttl };
  }

  /** `rec` is being used: the token it replaced is done. */
  private endGrace(rec: RefreshRec): void {
    if (rec.predecessor) this.killRefresh(rec.predecessor);
    rec.predecessor = null;
  }

  /** Deleting is idempotent, so other tokens may still name a predecessor that is gone. */
  private killRefresh(token: string): void {
    this.refresh.delete(token);
  }
}

export function unauthorized(code: string, message: string): FikenFailure {
  return new FikenFailure(401, code, message, { 'WWW-Authenticate': `Bearer error="${code}", error_description="${message}"` });
}
