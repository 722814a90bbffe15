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
}

export interface OAuth2Tokens {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms when the access token lapses, by our clock. */
  expiresAt: number;
}
