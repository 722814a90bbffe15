// Session tokens: minted from the consumer and employee tokens, used as the Basic password,
// valid until midnight (Oslo) before their expiration date. The simulator can expire every
// session or revoke the employee token to exercise a client's re-authentication.
import { randomUUID } from 'node:crypto';
import { ApiFailure, validationFailure } from './api-error.ts';
import { dayOf } from '../../model/index.ts';

export interface Session {
  id: number;
  token: string;
  consumerToken: string;
  employeeToken: string;
  expirationDate: string;
  /** Ended by `expireSessions()` or `DELETE /token/session/{token}`. */
  ended: boolean;
}

export interface Credentials {
  session: Session;
  /** The Basic username: '' or '0' for the token owner's company, else a client company id. */
  username: string;
}

export class SessionStore {
  private readonly byToken = new Map<string, Session>();
  private nextId = 1;
  private revoked = false;

  constructor(
    readonly consumerToken: string,
    readonly employeeToken: string,
    private readonly today: () => string,
  ) {}

  /** Checks the tokens and the expiration date; throws the envelope Tripletex answers with. */
  create(consumerToken: string | null, employeeToken: string | null, expirationDate: string | null): Session {
    if (!consumerToken) throw validationFailure('consumerToken', 'Kan ikke være null.');
    if (!employeeToken) throw validationFailure('employeeToken', 'Kan ikke være null.');
    if (!expirationDate) throw validationFailure('expirationDate', 'Kan ikke være null.');
    if (consumerToken !== this.consumerToken || employeeToken !== this.employeeToken || this.revoked) {
      throw new ApiFailure(401, 3000, 'Unauthorized', 'Invalid consumer or employee token.');
    }
    if (dayOf(expirationDate) === null) throw validationFailure('expirationDate', 'Ugyldig dato, bruk formatet yyyy-MM-dd.');
    if (expirationDate <= this.today()) throw validationFailure('expirationDate', 'Utløpsdatoen må være senere enn dagens dato.');
    const id = this.nextId++;
    // Tripletex's tokens are base64 of a small JSON document; clients must treat them as opaque.
    const token = Buffer.from(JSON.stringify({ tokenId: id, token: randomUUID() })).toString('base64');
    const session: Session = { id, token, consumerToken, employeeToken, expirationDate, ended: false };
    this.byToken.set(token, session);
    return session;
  }

  /** The session and username of a Basic `Authorization` header; throws 401 otherwise. */
  authenticate(header: string | undefined): Credentials {
    const m = header ? /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header) : null;
    if (!m) throw new ApiFailure(401, 3000, 'Unauthorized', 'Basic authentication with <company id or 0>:<session token> is required.');
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new ApiFailure(401, 3000, 'Unauthorized', 'The Basic credentials have no password.');
    const username = decoded.slice(0, colon);
    const session = this.byToken.get(decoded.slice(colon + 1));
    if (!session) throw new ApiFailure(401, 3000, 'Unauthorized', 'Unknown session token.');
    if (session.ended || this.revoked) throw new ApiFailure(401, 3000, 'Unauthorized', 'The session token is no longer valid.');
    // Valid through the day before expirationDate: it expires at midnight starting that date.
    if (this.today() >= session.expirationDate) throw new ApiFailure(401, 3000, 'Unauthorized', 'The session token has expired.');
    return { session, username };
  }

  /** Ends a session by its token; false when there is none. */
  end(token: string): boolean {
    const session = this.byToken.get(token);
    if (!session || session.ended) return false;
    session.ended = true;
    return true;
  }

  expireAll(): void {
    for (const s of this.byToken.values()) s.ended = true;
  }

  revokeEmployeeToken(): void {
    this.revoked = true;
  }
}
