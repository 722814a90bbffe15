import { once } from 'node:events';
import { providers, type AnyProvider } from '../extract/index.ts';
import { generateCompany, sandboxes, type RunningSandbox } from '../sandbox/index.ts';
import { positiveInteger } from './terminal/options.ts';

/**
 * `ledgerhouse sandbox [--port <n>]`: every provider's simulator on loopback, serving a
 * generated company, until Ctrl-C. Prints what `org add` and `connect` need. `--port` is the
 * first simulator's; the next ones take the ports after it.
 */
export async function sandboxCommand(values: Record<string, unknown>): Promise<number> {
  const port = values.port === undefined ? 0 : positiveInteger(values, 'port', 0);
  const linesPerYear = positiveInteger(values, 'lines-per-year', 20_000);
  const running: RunningSandbox[] = [];
  try {
    for (const [i, provider] of providers.entries()) {
      const sandbox = sandboxes[provider.id];
      const company = generateCompany({ seed: sandbox.sandboxSeed, country: provider.countries[0], linesPerYear });
      running.push(await sandbox.start({ companies: [company], port: port === 0 ? 0 : port + i }));
    }
    console.log(`${providers.map((p, i) => tryIt(p, running[i]!)).join('\n\n')}\n\nCtrl-C stops the sandbox.`);
    await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
  } finally {
    await Promise.all(running.map((s) => s.close()));
  }
  return 0;
}

/** The simulator's banner, then the commands that add, connect and sync an organization on it. */
function tryIt(provider: AnyProvider, sandbox: RunningSandbox): string {
  const orgId = `sandbox-${provider.id}`;
  const options = Object.entries(sandbox.settings).flatMap(([setting, value]) => {
    const option = provider.orgAddOptions.find((o) => o.setting === setting);
    return option ? [`--${option.name} ${shellWord(String(value))}`] : [];
  });
  const env = provider.secrets.map((f) => `${f.env}=${shellWord(sandbox.secrets[f.key] ?? '')} `).join('');
  return [
    ...sandbox.banner,
    '',
    `Try it${sandbox.consent ? ` (${sandbox.consent.note})` : ''}:`,
    `  npx ledgerhouse org add ${orgId} --provider ${provider.id}${options.map((o) => ` ${o}`).join('')}`,
    `  ${env}npx ledgerhouse connect ${orgId}`,
    `  npx ledgerhouse sync ${orgId}`,
  ].join('\n');
}

/** A value as one word of a shell command line: quoted when it holds spaces or other shell characters. */
function shellWord(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}
