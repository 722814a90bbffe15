import type { SandboxDescriptor } from '../sandbox-descriptor.ts';
import { TripletexSimulator } from './tripletex-simulator.ts';

export const tripletexSandbox: SandboxDescriptor = {
  sandboxSeed: 2026,
  demoSeed: 2027,
  demoLinesPerYear: 20_000,
  async start({ companies, port, clock }) {
    const sim = await TripletexSimulator.start({ companies, port, clock });
    return {
      settings: { baseUrl: sim.baseUrl },
      secrets: { consumerToken: sim.consumerToken, employeeToken: sim.employeeToken },
      served: `Tripletex sandbox at ${sim.baseUrl}`,
      banner: [
        `Tripletex sandbox: ${sim.baseUrl}`,
        ...companies.map(
          (c, i) =>
            `  company ${sim.companyIds[i]}: ${c.organization.name} (${c.organization.org_number}), fiscal years ${c.fiscalYears.map((y) => y.fiscal_year.label).join(', ')}`,
        ),
        `  consumer token ${sim.consumerToken}, employee token ${sim.employeeToken}`,
      ],
      close: () => sim.close(),
    };
  },
};
