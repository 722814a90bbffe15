import { once } from 'node:events';
import { generateCompany, TripletexSimulator } from '../sandbox/index.ts';
import { positiveInteger } from './options.ts';

/**
 * `ledgerhouse sandbox [--port <n>]`: the provider simulators on loopback, serving generated
 * companies, until Ctrl-C. Prints what `org add` and `connect` need.
 */
export async function sandboxCommand(values: Record<string, unknown>): Promise<number> {
  const port = values.port === undefined ? 0 : positiveInteger(values, 'port', 0);
  const company = generateCompany({ seed: 2026, country: 'NO', linesPerYear: positiveInteger(values, 'lines-per-year', 20_000) });
  const tripletex = await TripletexSimulator.start({ companies: [company], port });
  console.log(`Tripletex sandbox: ${tripletex.baseUrl}
  company ${tripletex.companyIds[0]}: ${company.organization.name} (${company.organization.org_number}), fiscal years ${company.fiscalYears.map((y) => y.fiscal_year.label).join(', ')}
  consumer token ${tripletex.consumerToken}, employee token ${tripletex.employeeToken}

Try it:
  npx ledgerhouse org add sandbox-tripletex --provider tripletex --base-url ${tripletex.baseUrl}
  TRIPLETEX_CONSUMER_TOKEN=${tripletex.consumerToken} TRIPLETEX_EMPLOYEE_TOKEN=${tripletex.employeeToken} npx ledgerhouse connect sandbox-tripletex
  npx ledgerhouse sync sandbox-tripletex

Ctrl-C stops the sandbox.`);
  await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
  await tripletex.close();
  return 0;
}
