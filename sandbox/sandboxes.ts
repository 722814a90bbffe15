import type { ProviderId } from '../extract/index.ts';
import { fennoaSandbox } from './fennoa/fennoa-sandbox.ts';
import { fikenSandbox } from './fiken/fiken-sandbox.ts';
import { fortnoxSandbox } from './fortnox/fortnox-sandbox.ts';
import type { SandboxDescriptor } from './sandbox-descriptor.ts';
import { tripletexSandbox } from './tripletex/tripletex-sandbox.ts';

/** Every provider's simulator: keyed by the registry's ids, so a provider without one does not compile. */
export const sandboxes: { readonly [Id in ProviderId]: SandboxDescriptor } = {
  tripletex: tripletexSandbox,
  fiken: fikenSandbox,
  fortnox: fortnoxSandbox,
  fennoa: fennoaSandbox,
};
