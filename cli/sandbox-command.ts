import { once } from 'node:events';
import { FikenSimulator, generateCompany, TripletexSimulator } from '../sandbox/index.ts';
import { positiveInteger } from './terminal/options.ts';

/**
 * `ledgerhouse sandbox [--port <n>]`: the provider simulators on loopback, serving generated
 * companies, until Ctrl-C. Prints what `org add` and `connect` need.
 */
export async function sandboxCommand(values: Record<string, unknown>): Promise<number> {
  const port = values.port === undefined ? 0 : positiveInteger(values, 'port', 0);
  const company = generateCompany({ seed: 2026, country: 'NO', linesPerYear: positiveInteger(values, 'lines-per-year', 20_000) });
  const tripletex = await TripletexSimulator.start({ companies: [company], port });
  const fikenCompany = generateCompany({ seed: 2028, country: 'NO', linesPerYear: positiveInteger(values, 'lines-per-year', 20_000) });
  const fiken = await FikenSimulator.start({ companies: [fikenCompany] });
  const fikenOrigin = new URL(fiken.authorizeUrl).origin;
  console.log(`Tripletex sandbox: ${tripletex.baseUrl}
  company ${tripletex.companyIds[0]}: ${company.organization.name} (${company.organization.org_number}), fiscal years ${company.fiscalYears.map((y) => y.fiscal_year.label).join(', ')}
  consumer token ${tripletex.consumerToken}, employee token ${tripletex.employeeToken}

Try it:
  npx ledgerhouse org add sandbox-tripletex --provider tripletex --base-url ${tripletex.baseUrl}
  TRIPLETEX_CONSUMER_TOKEN=${tripletex.consumerToken} TRIPLETEX_EMPLOYEE_TOKEN=${tripletex.employeeToken} npx ledgerhouse connect sandbox-tripletex
  npx ledgerhouse sync sandbox-tripletex

Fiken sandbox: ${fiken.apiBaseUrl} (OAuth at ${fikenOrigin}/oauth; it approves every consent at once)
  company ${fiken.companySlugs[0]}: ${fikenCompany.organization.name} (${fikenCompany.organization.org_number})
  app client id ${fiken.clientId}, client secret ${fiken.clientSecret}

Try it (open the address "connect" prints; the sandbox approves and sends you back):
  npx ledgerhouse org add sandbox-fiken --provider fiken --company ${fiken.companySlugs[0]} --base-url ${fiken.apiBaseUrl} --oauth-url ${fikenOrigin}
  FIKEN_CLIENT_ID=${fiken.clientId} FIKEN_CLIENT_SECRET=${fiken.clientSecret} npx ledgerhouse connect sandbox-fiken
  npx ledgerhouse sync sandbox-fiken

Ctrl-C stops the sandbox.`);
  await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
  await Promise.all([tripletex.close(), fiken.close()]);
  return 0;
}
