import { systemClock, type Clock } from '../../model/index.ts';
import { ConsentError } from './consent-error.ts';
import type { OAuth2App, OAuth2Tokens } from './oauth2-app.ts';
import { refreshTokens, type TokenEndpointOptions } from './token-endpoint.ts';

/** Where an organization's tokens live between runs (the encrypted credential store). */
export interface TokenVault {
  /** The newest stored tokens: another run may have refreshed them since we read them. */
  read(): Promise<OAuth2Tokens | null>;
  /** Resolves once the tokens are durable. */
  write(tokens: OAuth2Tokens): Promise<void>;
  /** Runs `work` holding a lock shared with every other run, across processes. */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
}

/** An access token this close to lapsing is refreshed first. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * An organization's OAuth2 session: access tokens refreshed before they lapse (on the given
 * clock), under the vault's lock so two runs never refresh at once, and a rotated refresh
 * token stored before the new access token is used (using it may retire the old one).
 */
export class OAuth2Session {
  private current: OAuth2Tokens | null = null;
  private readonly clock: Clock;

  constructor(
    private readonly app: OAuth2App,
    private readonly vault: TokenVault,
    private readonly orgHint: string,
    private readonly options: TokenEndpointOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
  }

  async accessToken(): Promise<string> {
    const tokens = this.current ?? (this.current = await this.stored());
    if (tokens.expiresAt - this.clock.now() > REFRESH_MARGIN_MS) return tokens.accessToken;
    return this.refresh(tokens.accessToken);
  }

  /** After a 401 for `rejected`: a new access token, unless another call already got one. */
  async refresh(rejected: string): Promise<string> {
    return this.vault.exclusive(async () => {
      const stored = await this.stored();
      // Another run (or call) refreshed while we waited for the lock: use its tokens.
      if (stored.accessToken !== rejected && stored.expiresAt - this.clock.now() > REFRESH_MARGIN_MS) {
        this.current = stored;
        return stored.accessToken;
      }
      const next = await refreshTokens(this.app, stored.refreshToken, this.orgHint, { ...this.options, clock: this.clock });
      await this.vault.write(next);
      this.current = next;
      return next.accessToken;
    });
  }

  consentLost(why: string): ConsentError {
    return new ConsentError(this.app.provider, this.orgHint, why);
  }

  /** Values to keep out of logs. */
  secrets(): string[] {
    return [this.app.clientSecret, this.current?.accessToken ?? '', this.current?.refreshToken ?? ''];
  }

  private async stored(): Promise<OAuth2Tokens> {
    const tokens = await this.vault.read();
    if (!tokens) throw new ConsentError(this.app.provider, this.orgHint, `no ${this.app.provider.label} tokens are stored for this organization`);
    return tokens;
  }
}
