import type { SourceLocation } from './ledger-model.ts';

/** `file.xml line 12 (Header/Company)`: the prefix every file message starts with. */
export function describeLocation(location: SourceLocation): string {
  const parts = [location.file];
  if (location.line !== undefined) parts.push(`line ${location.line}`);
  if (location.path) parts.push(`(${location.path})`);
  return parts.join(' ');
}
