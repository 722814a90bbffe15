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
  /**
   * Shown to the person: the provider's consent URL (it can be sent to whoever holds the
   * account), and the link that first explains what ledgerhouse reads.
   */
  showUrl: (url: string, link: ConsentLink) => void | Promise<void>;
  timeoutMs?: number;
}

/** What goes with the consent URL: a page that explains it first, and the same words to forward. */
export interface ConsentLink {
  /** On the loopback listener: explains what ledgerhouse reads, then leads on to the provider. Null when pasting. */
  startPage: string | null;
  /** The explanation as lines of text, for a message to whoever approves. */
  explanation: string[];
}

/** What ledgerhouse will read, that it writes nothing, and who can approve: for the page and the message. */
export function consentExplanation(app: OAuth2App): string[] {
  const label = app.provider.label;
  return [
    `ledgerhouse asks to read the company's bookkeeping in ${label}${app.reads?.length ? ':' : '.'}`,
    ...(app.reads ?? []).map((r) => `  - ${r}`),
    `It only reads: nothing is written to ${label}, now or later, whatever the consent page says the permissions would allow.`,
    ...(app.approver ? [`Approving takes ${app.approver}.`] : []),
    `The link leads to ${label}'s own consent page; after approving, the browser is sent back to ledgerhouse.`,
  ];
}

/** The whole consent, for any OAuth2 provider: authorization URL, redirect with a checked `state`, code exchanged for tokens. */
export async function oauth2Consent(app: OAuth2App, options: ConsentOptions): Promise<OAuth2Tokens> {
  const state = newState();
  if ('paste' in options.mode) {
    const { redirectUri, readLine } = options.mode.paste;
    await options.showUrl(authorizationUrl(app, redirectUri, state), { startPage: null, explanation: consentExplanation(app) });
    const pasted = await readLine('After approving, paste the address the browser was sent to: ');
    return exchangeCode(app, codeFromRedirect(app, pasted, state), redirectUri, options.orgId, options);
  }

  let settle!: { resolve: (code: string) => void; reject: (error: Error) => void };
  const code = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
  // A refused redirect may arrive while `showUrl` still runs: it is awaited below, not lost.
  code.catch(() => undefined);
  let authorization = '';
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/start' && authorization) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(startPage(app, authorization));
      return;
    }
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
    authorization = authorizationUrl(app, redirectUri, state);
    const origin = redirectUri.slice(0, -'/callback'.length);
    await options.showUrl(authorization, { startPage: `${origin}/start`, explanation: consentExplanation(app) });
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

/** The page before the provider's: what ledgerhouse reads, that it writes nothing, then on to the provider. */
function startPage(app: OAuth2App, authorization: string): string {
  const [first, ...rest] = consentExplanation(app);
  const items = rest.filter((l) => l.startsWith('  - ')).map((l) => `<li>${escapeHtml(l.slice(4))}</li>`).join('');
  const after = rest.filter((l) => !l.startsWith('  - ')).map((l) => `<p>${escapeHtml(l)}</p>`).join('');
  const label = escapeHtml(app.provider.label);
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>ledgerhouse: consent in ${label}</title></head><body>` +
    `<h1>ledgerhouse asks to read from ${label}</h1><p>${escapeHtml(first!)}</p>${items ? `<ul>${items}</ul>` : ''}${after}` +
    `<p><a href="${escapeHtml(authorization)}">Continue to ${label}</a></p></body></html>`
  );
}
