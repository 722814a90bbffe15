import { FikenSimulator, generateCompany } from '../../sandbox/index.ts';
import type { OAuth2App, RefreshRotation } from '../../extract/index.ts';
import type { Clock } from '../../model/index.ts';

/** The Fiken simulator's OAuth2 server, and an app registered with it. */
export async function oauthServer(clock?: Clock): Promise<{ sim: FikenSimulator; app: (rotation?: RefreshRotation) => OAuth2App }> {
  const company = generateCompany({ seed: 71, country: 'NO', linesPerYear: 400, years: 1, currentYear: 2026 });
  const sim = await FikenSimulator.start({ companies: [company], perSecond: 1_000, clock });
  const app = (rotation: RefreshRotation = 'grace'): OAuth2App => ({
    provider: { id: 'fiken', label: 'Fiken', clientEnv: ['FIKEN_CLIENT_ID', 'FIKEN_CLIENT_SECRET'] },
    clientId: sim.clientId,
    clientSecret: sim.clientSecret,
    authorizeUrl: sim.authorizeUrl,
    tokenUrl: sim.tokenUrl,
    rotation,
  });
  return { sim, app };
}

/** A person approves at `url`; the authorization code from where the browser is sent. */
export async function approve(url: string): Promise<string> {
  const location = (await fetch(url, { redirect: 'manual' })).headers.get('location')!;
  return new URL(location).searchParams.get('code')!;
}
