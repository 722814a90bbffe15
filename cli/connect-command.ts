import { CredentialStore, providerOf, type ConsentLink, type Secrets, type SecretField } from '../extract/index.ts';
import { configPath, credentialsDir, debugLog, existingCredentialStore, loadConfig, orgIdArgument, requireOrganization, verifyConnection, giveConsent, needsConsent, UsageError } from '../pipeline/index.ts';
import { canPrompt, promptHidden, promptLine, PromptCancelledError } from './terminal/prompt.ts';
import { positiveInteger, requiredString } from './terminal/options.ts';

/** Reaches the provider with fresh secrets and says whom it reached, e.g. "reached Acme AS (company 123)". */
export async function connectCommand(values: Record<string, unknown>, positionals: string[]): Promise<number> {
  const id = orgIdArgument(positionals, 'ledgerhouse connect acme');
  const path = configPath(values);
  const org = requireOrganization(await loadConfig(path), id, path);
  if (values.forget === true) return forget(id, path);
  const provider = providerOf(org);
  let secrets: Secrets;
  try {
    secrets = await readSecrets(id, provider.secrets);
  } catch (error) {
    if (!(error instanceof PromptCancelledError)) throw error;
    console.error('Cancelled; nothing was stored.');
    return 130;
  }
  if (needsConsent(org)) {
    const tokens = await giveConsent(org, secrets, {
      orgId: id,
      mode: values['no-listen']
        ? { paste: { redirectUri: requiredString(values, 'redirect-uri', 'with --no-listen, give the redirect URI registered for the app'), readLine: promptLine } }
        : { listen: { port: values['callback-port'] === undefined ? 0 : positiveInteger(values, 'callback-port', 0) } },
      log: debugLog(),
      showUrl: (url, link) => console.log(consentMessage(provider.label, url, link)),
    });
    secrets = { ...secrets, ...tokens };
  }
  const dir = credentialsDir(path);
  const store = await CredentialStore.open(dir, process.env);
  // Under the store's lock: two connects at once would otherwise each write back the store
  // as they read it, and one organization's credentials would be lost.
  await store.exclusive(() => store.set(id, secrets));
  console.log(`Stored the credentials of "${id}", encrypted, in ${store.path}.`);

  try {
    console.log(`Checked: ${await verifyConnection(id, org, store, { log: debugLog() })}.`);
    return 0;
  } catch (error) {
    // Kept: the check may fail for a reason of the moment (network, provider down).
    console.error(`The credentials of "${id}" are stored, but the check failed: ${(error as Error)?.message ?? String(error)}`);
    if (process.argv.includes('--debug')) console.error((error as Error)?.stack);
    return 1;
  }
}

/**
 * The consent link with what it is for, worded so the operator can forward it to whoever
 * administers the company's account: what ledgerhouse reads and that it writes nothing, a page
 * that says so before leading on (on this machine's listener), and the provider's page itself.
 */
function consentMessage(label: string, url: string, link: ConsentLink): string {
  const lines = ['Send this to whoever administers the company in ' + label + ' (or open it yourself), and approve ledgerhouse for the company:', '', ...link.explanation.map((l) => `  ${l}`), ''];
  if (link.startPage) {
    lines.push(`On this machine, this page explains the above and then leads to ${label}:`, '', `  ${link.startPage}`, '', `${label}'s consent page itself:`);
  } else {
    lines.push(`${label}'s consent page:`);
  }
  lines.push('', `  ${url}`, '');
  if (link.startPage) lines.push(`Approving on another machine? The browser returns to this one only; run "ledgerhouse connect" with --no-listen --redirect-uri <the app's registered address> and paste the address the browser lands on.`, '');
  return lines.join('\n');
}

/**
 * Each secret from its environment variable when set (scripts, CI), else asked for at the
 * terminal with hidden input. Without a terminal every missing variable is named at once.
 */
async function readSecrets(id: string, fields: readonly SecretField[]): Promise<Secrets> {
  const missing = fields.filter((f) => !process.env[f.env]?.trim());
  if (missing.length > 0 && !canPrompt()) {
    const names = missing.map((f) => f.env);
    throw new UsageError(
      `Cannot ask for the ${missing.map((f) => f.label).join(' and ')} of "${id}": stdin is not a terminal. Set ${names.join(' and ')} in the environment and run "ledgerhouse connect ${id}" again.`,
    );
  }
  const secrets: Secrets = {};
  for (const field of fields) {
    const fromEnv = process.env[field.env]?.trim();
    const value = fromEnv || (await promptHidden(`${field.label} for "${id}" (input hidden, or set ${field.env}): `)).trim();
    if (!value) throw new UsageError(`No ${field.label} was given; nothing was stored.`);
    secrets[field.key] = value;
  }
  return secrets;
}

async function forget(id: string, path: string): Promise<number> {
  const store = await existingCredentialStore(path);
  const forgotten = store ? await store.exclusive(() => store.forget(id)) : false;
  console.log(forgotten ? `Deleted the stored credentials of "${id}".` : `"${id}" had no stored credentials.`);
  return 0;
}
