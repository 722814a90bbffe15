import { createServer } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { ConsentFlowError } from './consent-error.ts';
import type { OAuth2App, OAuth2Tokens } from './oauth2-app.ts';
import { authorizationUrl, codeFromRedirect, exchangeCode, newState, type TokenEndpointOptions } from './token-endpoint.ts';

export interface ConsentOptions extends TokenEndpointOptions {
  orgId: string;
  /**
   * `listen`: a short-lived listener on loopback receives the redirect (its URL must be the
   * app's registered redirect URI, so the port can be fixed). `paste`: the person pastes the
   * address the browser was sent to, for servers without a browser.
   */
  mode: { listen: { port: number } } | { paste: { redirectUri: string; readLine: (question: string) => Promise<string> } };
  /** Shown to the person: the URL to open (it can be sent to whoever holds the account). */
  showUrl: (url: string) => void | Promise<void>;
  timeoutMs?: number;
}

/** The whole consent, for any OAuth2 provider: authorization URL, redirect with a checked `state`, code exchanged for tokens. */
export async function oauth2Consent(app: OAuth2App, options: ConsentOptions): Promise<OAuth2Tokens> {
  const state = newState();
  if ('paste' in options.mode) {
    const { redirectUri, readLine } = options.mode.paste;
    await options.showUrl(authorizationUrl(app, redirectUri, state));
    const pasted = await readLine('After approving, paste the address the browser was sent to: ');
    return exchangeCode(app, codeFromRedirect(app, pasted, state), redirectUri, options.orgId, options);
  }

  let settle!: { resolve: (code: string) => void; reject: (error: Error) => void };
  const code = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
  // A refused redirect may arrive while `showUrl` still runs: it is awaited below, not lost.
  code.catch(() => undefined);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/callback') {
      res.writeHead(404).end();
      return;
    }
    try {
      const received = codeFromRedirect(app, url.toString(), state);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<p>ledgerhouse received the consent. You can close this tab.</p>');
      settle.resolve(received);
    } catch (error) {
      res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' }).end(`<p>ledgerhouse could not use this consent: ${escapeHtml((error as Error).message)}</p>`);
      settle.reject(error as Error);
    }
  });
  server.listen(options.mode.listen.port, '127.0.0.1');
  await once(server, 'listening');
  const redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;
  const timeoutMs = options.timeoutMs ?? 10 * 60_000;
  const timer = setTimeout(
    () => settle.reject(new ConsentFlowError(app.provider, `no consent arrived within ${Math.round(timeoutMs / 60_000)} minutes; run "ledgerhouse connect ${options.orgId}" again.`)),
    timeoutMs,
  );
  try {
    await options.showUrl(authorizationUrl(app, redirectUri, state));
    return await exchangeCode(app, await code, redirectUri, options.orgId, options);
  } finally {
    clearTimeout(timer);
    server.close();
    server.closeAllConnections();
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
