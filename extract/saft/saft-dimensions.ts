// How a SAF-T AnalysisType maps onto the unified `dimension_type`, and back again. The reader
// and the writer share this so a written file reads back to the same dimension types.

/** Normalised type for an AnalysisType code with the given AnalysisTypeDescription. */
export function normaliseDimensionType(analysisType: string, description: string | null): string {
  const known = description === null ? null : wellKnownType(description);
  return known ?? `saft:${analysisType}`;
}

/** `department` / `project` / `cost_center` when the description says so exactly, else null. */
export function wellKnownType(description: string): string | null {
  const d = description.trim().toLowerCase();
  if (/^(avdeling(er)?|departments?)$/.test(d)) return 'department';
  if (/^(prosjekt(er)?|projects?)$/.test(d)) return 'project';
  if (/^(kostnadssted(er)?|kostsenter|cost[ -]?cent(er|re)s?)$/.test(d)) return 'cost_center';
  return null;
}

const CANONICAL: Record<string, { codes: string[]; description: string }> = {
  department: { codes: ['AVD', 'AVDELING', 'DEPT'], description: 'Avdeling' },
  project: { codes: ['PROSJEKT', 'PRO', 'PROJ'], description: 'Prosjekt' },
  cost_center: { codes: ['KOSTSTED', 'KOST', 'KSTED'], description: 'Kostnadssted' },
};

export interface AnalysisTypeCode {
  code: string;
  description: string;
}

/**
 * Picks an AnalysisType code (≤ 9 characters, unique) for every dimension type to be
 * written: `saft:X` keeps X, the canonical types get AVD/PROSJEKT/KOSTSTED, anything else a
 * short code made from its name with the type itself as description.
 */
export function analysisTypeCodes(types: Iterable<string>): Map<string, AnalysisTypeCode> {
  const all = [...new Set(types)];
  const used = new Set<string>();
  const out = new Map<string, AnalysisTypeCode>();
  const take = (type: string, code: string, description: string) => {
    used.add(code);
    out.set(type, { code, description });
  };
  const unique = (base: string): string => {
    const stem = base.slice(0, 9) || 'D';
    if (!used.has(stem)) return stem;
    for (let i = 1; ; i++) {
      const c = `${stem.slice(0, 9 - String(i).length)}${i}`;
      if (!used.has(c)) return c;
    }
  };
  // `saft:X` first: those codes came from a file and must stay as they were.
  for (const t of all) {
    if (!t.startsWith('saft:')) continue;
    // The description must not read back as a canonical type, so it is never the bare code.
    take(t, unique(t.slice(5)), `Dimensjon ${t.slice(5)}`);
  }
  for (const t of all) {
    const canon = CANONICAL[t];
    if (canon === undefined) continue;
    const code = canon.codes.find((c) => !used.has(c)) ?? unique(canon.codes[0]!);
    take(t, code, canon.description);
  }
  for (const t of all) {
    if (out.has(t)) continue;
    const safe = t.toUpperCase().replace(/[^A-Z0-9]/g, '');
    take(t, unique(safe || 'DIM'), wellKnownType(t) === null ? t : `Dimensjon ${t}`);
  }
  return out;
}
