// Reads back the CSV files the project writes, strictly (every row as wide as the header):
// rows as objects keyed by the header row.
import { parseCsv as parseCsvRecords } from '../../model/index.ts';

export function parseCsv(text: string): Record<string, string>[] {
  return parseCsvRecords(text).records.map((r) => r.values);
}
