// Building HTML as text: everything from the warehouse (names, errors, account names) is
// escaped here, once, so no source text can become markup in the pack.

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** ` name="value"` pairs; null and undefined values are left out. */
export function attrs(values: Record<string, string | number | null | undefined>): string {
  return Object.entries(values)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeHtml(String(v))}"`)
    .join('');
}

/**
 * A number for the page: the formatted text, with the exact decimal in `data-value` so a
 * reader (or a test) can take the figure without parsing Nordic formatting. No figure, no
 * data-value.
 */
export function figure(tag: 'td' | 'span' | 'th', value: string | null, formatted: string, extra: Record<string, string | null> = {}): string {
  const negative = value !== null && value.startsWith('-') ? ' negative' : '';
  const cls = `${extra['class'] ?? 'num'}${negative}`;
  return `<${tag}${attrs({ ...extra, class: cls, 'data-value': value })}>${escapeHtml(formatted)}</${tag}>`;
}
