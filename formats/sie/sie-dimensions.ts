// SIE dimension numbers ↔ the warehouse's normalised dimension types (SIE 4B §8.17: 1 is the
// cost centre, 6 the project; 20+ are free and named by #DIM).

const DEPARTMENT_NAME = /avdelning|avdeling|afdeling|department/i;

/** Normalised type for a dimension number, given the name its #DIM/#UNDERDIM declared (if any). */
export function sieDimensionType(dimension: string, declaredName: string | undefined): string {
  const n = dimension.trim();
  if (n === '1') return 'cost_center';
  if (n === '6') return 'project';
  if (declaredName !== undefined && DEPARTMENT_NAME.test(declaredName)) return 'department';
  return `sie:${n}`;
}

/** Names of the reserved dimensions, used when writing a #DIM the source did not name. */
export const RESERVED_DIMENSION_NAMES: Readonly<Record<number, string>> = {
  1: 'Kostnadsställe',
  2: 'Kostnadsbärare',
  6: 'Projekt',
  7: 'Anställd',
  8: 'Kund',
  9: 'Leverantör',
  10: 'Faktura',
};
