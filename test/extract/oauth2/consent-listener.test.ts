import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsentFlowError, oauth2Consent } from '../../../extract/index.ts';
import type { FikenSimulator } from '../../../sandbox/index.ts';
import { oauthServer } from '../../helpers/oauth2-server.ts';

/** A port free a moment ago, for --callback-port. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('the consent listener', () => {
  let server: Awaited<ReturnType<typeof oauthServer>>;
  let sim: FikenSimulator;
  beforeAll(async () => {
    server = await oauthServer();
    sim = server.sim;
  });
  afterAll(() => sim?.close());

  it('receives the redirect on a loopback port of our choosing, and exchanges the code', async () => {
    const port = await freePort();
    let shown = '';
    const tokens = await oauth2Consent(server.app(), {
      orgId: 'acme',
      mode: { listen: { port } },
      showUrl: async (url) => {
        shown = url;
        const page = await fetch(url); // the simulator approves and redirects to the listener
        expect(await page.text()).toContain('ledgerhouse received the consent');
      },
    });
    expect(new URL(shown).searchParams.get('redirect_uri')).toBe(`http://127.0.0.1:${port}/callback`);
    expect(tokens.accessToken).toMatch(/.{20}/);
  });

  it('refuses a redirect carrying another state, and says so to the browser too', async () => {
    const failure = oauth2Consent(server.app(), {
      orgId: 'acme',
      mode: { listen: { port: 0 } },
      showUrl: async (url) => {
        const callback = new URL(new URL(url).searchParams.get('redirect_uri')!);
        callback.search = '?code=abc&state=forged';
        const page = await fetch(callback);
        expect(page.status).toBe(400);
        expect(await page.text()).toContain('its state does not match');
      },
    });
    await expect(failure).rejects.toThrow(ConsentFlowError);
  });

  it('in paste mode takes the address the person copies, and gives up after the timeout when listening in vain', async () => {
    const redirectUri = 'https://example.invalid/callback';
    let location = '';
    const questions: string[] = [];
    const tokens = await oauth2Consent(server.app(), {
      orgId: 'acme',
      mode: { paste: { redirectUri, readLine: async (q) => (questions.push(q), location) } },
      showUrl: async (url) => void (location = (await fetch(url, { redirect: 'manual' })).headers.get('location')!),
    });
    expect(questions).toEqual(['After approving, paste the address the browser was sent to: ']);
    expect(tokens.refreshToken).toMatch(/.{20}/);
    await expect(oauth2Consent(server.app(), { orgId: 'acme', mode: { listen: { port: 0 } }, showUrl: () => undefined, timeoutMs: 50 })).rejects.toThrow(
      'The Fiken consent failed: no consent arrived within 0 minutes; run "ledgerhouse connect acme" again.',
    );
  });
});
