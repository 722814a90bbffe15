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
 * short code made from its name with the type itself as description. Types first met while
 * streaming vouchers are coded on the fly by the same rules.
 */
export class AnalysisTypeCoder {
  private readonly used = new Set<string>();
  private readonly codes = new Map<string, AnalysisTypeCode>();

  constructor(types: Iterable<string>) {
    const all = [...new Set(types)];
    // `saft:X` first: those codes came from a file and should stay as they were.
    for (const t of all) if (t.startsWith('saft:')) this.get(t);
    for (const t of all) if (CANONICAL[t] !== undefined) this.get(t);
    for (const t of all) this.get(t);
  }

  get(type: string): AnalysisTypeCode {
    const known = this.codes.get(type);
    if (known !== undefined) return known;
    let c: AnalysisTypeCode;
    const canon = CANONICAL[type];
    if (type.startsWith('saft:')) {
      // The description must not read back as a canonical type, so it is never the bare code.
      c = { code: this.unique(type.slice(5)), description: `Dimensjon ${type.slice(5)}` };
    } else if (canon !== undefined) {
      c = { code: canon.codes.find((x) => !this.used.has(x)) ?? this.unique(canon.codes[0]!), description: canon.description };
    } else {
      const safe = type.toUpperCase().replace(/[^A-Z0-9]/g, '');
      c = { code: this.unique(safe || 'DIM'), description: wellKnownType(type) === null ? type : `Dimensjon ${type}` };
    }
    this.used.add(c.code);
    this.codes.set(type, c);
    return c;
  }

  private unique(base: string): string {
    const stem = [...base].slice(0, 9).join('') || 'D';
    if (!this.used.has(stem)) return stem;
    for (let i = 1; ; i++) {
      const c = `${[...stem].slice(0, 9 - String(i).length).join('')}${i}`;
      if (!this.used.has(c)) return c;
    }
  }
}
