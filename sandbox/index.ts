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
export { TripletexSimulator } from './tripletex/tripletex-simulator.ts';
export type {
  MutationPlan,
  MutationReport,
  PartyKey,
  SimulatedYearTruth,
  TripletexSimulatorOptions,
  TripletexStats,
  VoucherKey,
} from './tripletex/tripletex-simulator.ts';
export {
  BytesBody, HttpSimulator, Router, StreamBody, jsonText, minorUnitsText, textBody, type Fault, type Faults, type HttpStats, type SimRequest, type SimResponse,
} from './kit/index.ts';
export { FikenSimulator } from './fiken/fiken-simulator.ts';
export type { FikenMutationPlan, FikenMutationReport, FikenSimulatorOptions, FikenStats, JournalEntryKey } from './fiken/fiken-simulator.ts';
export { FennoaSimulator, FENNOA_TEXTS } from './fennoa/fennoa-simulator.ts';
export type { FennoaEndpoint, FennoaMutationPlan, FennoaMutationReport, FennoaRefusal, FennoaSimulatorOptions, FennoaStats, StatementKey } from './fennoa/fennoa-simulator.ts';
export { sandboxes } from './sandboxes.ts';
export type { RunningSandbox, SandboxDescriptor } from './sandbox-descriptor.ts';
export { FortnoxSimulator, fortnoxSandbox, FORTNOX_SCOPES } from './fortnox/index.ts';
export type { FortnoxMutationPlan, FortnoxMutationReport, FortnoxScope, FortnoxSimulatorOptions, FortnoxStats, FxDocument } from './fortnox/index.ts';
export { documentPdf, documentPng } from './document-files.ts';
