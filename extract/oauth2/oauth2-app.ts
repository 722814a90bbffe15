/**
 * What happens to a refresh token once it has been used. `grace`: the replaced token keeps
 * working until the new pair is first used (Fiken), so a refresh whose answer was lost can be
 * sent again. `immediate`: the replaced token dies at once (Fortnox), so a refresh is sent once
 * and never retried: a second try would be refused and end the consent.
 */
export type RefreshRotation = 'grace' | 'immediate';

/** The provider as messages name it. */
export interface OAuth2ProviderName {
  /** Its id, the prefix of its errors and log lines: `fiken`. */
  id: string;
  /** Its name for a person: `Fiken`. */
  label: string;
  /** The variables that carry the app's client id and secret, named when they are refused. */
  clientEnv: readonly [clientId: string, clientSecret: string];
}

/** An app registered with the provider, and where its OAuth2 server is. */
export interface OAuth2App {
  provider: OAuth2ProviderName;
  clientId: string;
  clientSecret: string;
  authorizeUrl: string;
  tokenUrl: string;
  /** More parameters of the authorization URL, e.g. a `scope` or `access_type=offline`. */
  authorizeParams?: Readonly<Record<string, string>>;
  rotation: RefreshRotation;
  /**
   * What ledgerhouse reads with the consent, line by line: the page before the provider's
   * consent page says so (and that nothing is written), and `connect` prints it to forward.
   */
  reads?: readonly string[];
  /** Who can approve, in a few words: "the company's administrator". */
  approver?: string;
  /** A sentence for an `error` the consent page redirected with, or null for the kit's own. */
  redirectError?: (error: string, description: string | null) => string | null;
}

export interface OAuth2Tokens {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms when the access token lapses, by our clock. */
  expiresAt: number;
}
