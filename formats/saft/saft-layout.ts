// SAF-T 1.10/1.20 and 1.30 are told apart by structure, because AuditFileVersion is not
// reliable (the official examples say "1.0", the XMLSpy sample says "a").

export type SaftLayout = 'saft-1.30' | 'saft-1.20';

/** Elements that only exist in one layout, by (parent, child) local names. */
const MARKERS: Record<string, Record<string, SaftLayout>> = {
  Customer: { BalanceAccount: 'saft-1.30', AccountID: 'saft-1.20', OpeningDebitBalance: 'saft-1.20', OpeningCreditBalance: 'saft-1.20' },
  Supplier: { BalanceAccount: 'saft-1.30', AccountID: 'saft-1.20', OpeningDebitBalance: 'saft-1.20', OpeningCreditBalance: 'saft-1.20' },
  Account: { StandardAccountID: 'saft-1.20' },
  TaxInformation: { DebitTaxAmount: 'saft-1.30', CreditTaxAmount: 'saft-1.30', TaxAmount: 'saft-1.20' },
  Analysis: { DebitAnalysisAmount: 'saft-1.30', CreditAnalysisAmount: 'saft-1.30', AnalysisAmount: 'saft-1.20' },
  Transaction: { VoucherType: 'saft-1.30', VoucherDescription: 'saft-1.30', ModificationDate: 'saft-1.30' },
};

export function markerLayout(parent: string, name: string): SaftLayout | null {
  return MARKERS[parent]?.[name] ?? null;
}

/** Remembers the first structural marker seen and whether a later one contradicts it. */
export class LayoutDetector {
  layout: SaftLayout | null = null;
  /** `parent/child` of the first marker, for messages. */
  evidence: string | null = null;
  conflict: { evidence: string; line: number } | null = null;

  see(parent: string, name: string, line: number): void {
    const l = markerLayout(parent, name);
    if (l === null) return;
    if (this.layout === null) {
      this.layout = l;
      this.evidence = `${parent}/${name}`;
    } else if (l !== this.layout && this.conflict === null) {
      this.conflict = { evidence: `${parent}/${name}`, line };
    }
  }

  /**
   * When no marker decided it: the declared version if it names one, else 1.30 when every
   * account carries the 1.30-mandatory grouping mapping, else 1.20.
   */
  static fallback(declared: string | null, allAccountsGrouped: boolean): SaftLayout {
    const v = declared?.trim() ?? '';
    if (/^(1\.[3-9]|[2-9])/.test(v)) return 'saft-1.30';
    if (/^1(\.[0-2]\d*)?$/.test(v)) return 'saft-1.20';
    return allAccountsGrouped ? 'saft-1.30' : 'saft-1.20';
  }
}
