// Public API of the synthetic company generator: the ground truth for end-to-end tests and
// benchmarks.
export { generateCompany } from './company-generator.ts';
export type {
  CompanyTruth,
  CountryProfile,
  FiscalYearTruth,
  GenerateCompanyOptions,
  GeneratedCompany,
} from './company-generator.ts';
export { Random, deriveSeed } from './random.ts';
