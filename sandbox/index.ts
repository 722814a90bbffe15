// Public API of the synthetic company generator: the ground truth for end-to-end tests and
// benchmarks.
export { generateCompany } from './company-generator.ts';
export type { CountryProfile } from './country-profile.ts';
export type {
  CompanyTruth,
  FiscalYearTruth,
  GenerateCompanyOptions,
  GeneratedCompany,
} from './generated-company.ts';
export { Random, deriveSeed } from './random.ts';
