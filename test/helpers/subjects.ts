// Every provider's conformance subject, found by file name (test/helpers/<provider>-subject.ts):
// a provider added to the registry joins the reliability suite with the subject its own
// conformance test needs anyway, and one without a subject fails here, by name.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { providerIds } from '../../extract/index.ts';
import type { ConformanceSimulator, ConnectedSource, SourceSubject } from './source-conformance.ts';

export type AnySubject = SourceSubject<ConformanceSimulator, ConnectedSource>;

export async function allSubjects(): Promise<AnySubject[]> {
  const found = new Map<string, AnySubject>();
  for (const file of readdirSync(import.meta.dirname).filter((f) => f.endsWith('-subject.ts')).sort()) {
    const module = (await import(join(import.meta.dirname, file))) as Record<string, unknown>;
    for (const value of Object.values(module)) {
      const subject = value as Partial<AnySubject> | null;
      if (subject && typeof subject === 'object' && typeof subject.provider === 'string' && typeof subject.start === 'function') found.set(subject.provider, subject as AnySubject);
    }
  }
  const missing = providerIds.filter((id) => !found.has(id));
  if (missing.length > 0) throw new Error(`No conformance subject for ${missing.join(', ')}: add test/helpers/<provider>-subject.ts (see tripletex-subject.ts).`);
  return providerIds.map((id) => found.get(id)!);
}
