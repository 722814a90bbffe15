// An OAuth2 authorization server's state: consents (grants), authorization codes, access and
// refresh tokens. Plain state transitions; oauth-endpoints.ts speaks HTTP around them. The
// provider decides what a consent approves (`A`: Fiken's companies, Fortnox's tenant and
// scopes) and how refresh tokens rotate.
//
// Every refresh answers a new refresh token. What becomes of the one it replaced is the
// rotation policy:
// - `grace` (Fiken): it stays usable until the new access token or the new refresh token is
//   first used. A client that crashed between receiving tokens and storing them can retry with
//   the old refresh token; the retry supersedes the lost pair, so at most one live successor
//   exists.
// - `immediate` (Fortnox): it is invalid at once; a client that lost the answer must consent again.
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../model/index.ts';
import { SimFailure } from './sim-failure.ts';

export type RefreshRotation = 'grace' | 'immediate';

export interface Grant<A> {
  id: number;
  /** What the person approved during this consent. */
  approval: A;
  revoked: boolean;
}

export interface TokenSet {
  access_token: string;
  refresh_token: string;
  token_type: 'bearer';
  expires_in: number;
}

interface CodeRec<A> {
  grant: Grant<A>;
  redirectUri: string;
  state: string;
  expiresAt: number;
}

interface AccessRec<A> {
  grant: Grant<A>;
  expiresAt: number;
  /** The refresh token whose grace ends when this token is first used. */
  predecessor: string | null;
}

interface RefreshRec<A> {
  grant: Grant<A>;
  expiresAt: number;
  predecessor: string | null;
  /** The pair issued from this token, still unused; superseded when this token is used again. */
  successor: { access: string; refresh: string } | null;
}

export interface GrantOptions {
  clientId: string;
  clientSecret: string;
  accessTokenTtlSeconds: number;
  /** How long an authorization code lives ("expire after a short while"). */
  codeTtlSeconds: number;
  /** Default: refresh tokens live until used up or revoked. */
  refreshTokenTtlSeconds?: number;
  rotation: RefreshRotation;
  /** Expiry of codes and tokens is read from it, so a test can move "now". */
  clock: Clock;
  /** Default: 44 characters of base64url with padding, the shape of Fiken's example tokens. */
  newToken?: () => string;
}

export const invalidGrant = (message: string) => new SimFailure(400, 'invalid_grant', message);
export const invalidRequest = (message: string) => new SimFailure(400, 'invalid_request', message);

/** 401 with the RFC 6750 `WWW-Authenticate` challenge. */
export function unauthorized(code: string, message: string): SimFailure {
  return new SimFailure(401, code, message, { 'WWW-Authenticate': `Bearer error="${code}", error_description="${message}"` });
}

const defaultToken = () => randomBytes(32).toString('base64url') + '=';

export class GrantStore<A> {
  private readonly grants: Grant<A>[] = [];
  private readonly codes = new Map<string, CodeRec<A>>();
  private readonly access = new Map<string, AccessRec<A>>();
  private readonly refresh = new Map<string, RefreshRec<A>>();
  private readonly newToken: () => string;
  /** Successful refresh_token grants. */
  refreshes = 0;

  constructor(private readonly options: GrantOptions) {
    for (const name of ['accessTokenTtlSeconds', 'codeTtlSeconds'] as const) {
      if (!(options[name] > 0)) throw new RangeError(`GrantStore: ${name} must be positive, got ${options[name]}`);
    }
    this.newToken = options.newToken ?? defaultToken;
  }

  get clientId(): string {
    return this.options.clientId;
  }

  /** HTTP Basic credentials of the token endpoint; the secret is compared in full. */
  clientMatches(id: string, secret: string): boolean {
    return id === this.options.clientId && secret === this.options.clientSecret;
  }

  /** The person consented to `approval`: a new grant and a single-use code for it. */
  authorize(redirectUri: string, state: string, approval: A): string {
    const grant: Grant<A> = { id: this.grants.length + 1, approval, revoked: false };
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
    if (!rec || rec.grant.revoked || rec.expiresAt <= this.now()) throw invalidGrant('The refresh token is invalid, expired or revoked.');
    this.refreshes++;
    if (this.options.rotation === 'immediate') {
      this.refresh.delete(token);
      return this.issue(rec.grant, null);
    }
    // A retry within the grace: the unused pair from the earlier refresh is superseded.
    if (rec.successor) {
      this.access.delete(rec.successor.access);
      this.refresh.delete(rec.successor.refresh);
    }
    this.endGrace(rec);
    const set = this.issue(rec.grant, token);
    rec.successor = { access: set.access_token, refresh: set.refresh_token };
    return set;
  }

  /** The grant behind a bearer token; 401 when unknown, expired or revoked. */
  authenticate(token: string): Grant<A> {
    const rec = this.access.get(token);
    if (!rec || rec.grant.revoked) throw unauthorized('invalid_token', 'The access token is invalid or has been revoked.');
    if (rec.expiresAt <= this.now()) throw unauthorized('invalid_token', 'The access token expired.');
    if (rec.predecessor) {
      this.refresh.delete(rec.predecessor);
      rec.predecessor = null;
    }
    return rec.grant;
  }

  /** The grant a live refresh token belongs to (for revocation by refresh token, as Fortnox's); null when unknown or expired. */
  grantOfRefreshToken(token: string): Grant<A> | null {
    const rec = this.refresh.get(token);
    return rec && rec.expiresAt > this.now() ? rec.grant : null;
  }

  revoke(grant: Grant<A>): void {
    grant.revoked = true;
  }

  revokeAll(): void {
    for (const g of this.grants) g.revoked = true;
  }

  expireAccessTokens(): void {
    for (const rec of this.access.values()) rec.expiresAt = -Infinity;
  }

  private now(): number {
    return this.options.clock.now();
  }

  private issue(grant: Grant<A>, predecessor: string | null): TokenSet {
    const access = this.newToken();
    const refresh = this.newToken();
    const ttl = this.options.accessTokenTtlSeconds;
    const refreshTtl = this.options.refreshTokenTtlSeconds;
    this.access.set(access, { grant, expiresAt: this.now() + ttl * 1000, predecessor });
    this.refresh.set(refresh, { grant, expiresAt: refreshTtl === undefined ? Infinity : this.now() + refreshTtl * 1000, predecessor, successor: null });
    return { access_token: access, refresh_token: refresh, token_type: 'bearer', expires_in: ttl };
  }

  /** `rec` is being used: the token it replaced is done (deleting is idempotent). */
  private endGrace(rec: RefreshRec<A>): void {
    if (rec.predecessor) this.refresh.delete(rec.predecessor);
    rec.predecessor = null;
  }
}
