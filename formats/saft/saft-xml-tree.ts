// A small element tree for ONE record at a time (an Account, a Customer, a Transaction).
// The file as a whole is streamed; only the record being read is held, so memory stays
// bounded however large the file is.

export interface XNode {
  /** Local name; an element from a foreign namespace is `{uri}local` so it never matches a SAF-T name. */
  name: string;
  line: number;
  text: string;
  children: XNode[] | null;
  attrs: Record<string, string> | null;
}

export function newNode(name: string, line: number): XNode {
  return { name, line, text: '', children: null, attrs: null };
}

export function child(node: XNode, name: string): XNode | undefined {
  const kids = node.children;
  if (kids === null) return undefined;
  for (const k of kids) if (k.name === name) return k;
  return undefined;
}

export function childrenNamed(node: XNode, name: string): XNode[] {
  return node.children === null ? [] : node.children.filter((k) => k.name === name);
}

/** Trimmed text of a leaf; empty text counts as absent. */
export function textOf(node: XNode | undefined): string | null {
  if (node === undefined) return null;
  const t = node.text.trim();
  return t === '' ? null : t;
}

export function childText(node: XNode, name: string): string | null {
  return textOf(child(node, name));
}

/**
 * JSON-able form of an element, for `extra`: a leaf is its text, a parent an object of its
 * children (repeated names become arrays), attributes as `@name`.
 */
export function toJson(node: XNode): unknown {
  if (node.children === null) {
    if (node.attrs === null) return node.text.trim();
    return { ...attrsJson(node.attrs), '#text': node.text.trim() };
  }
  return childrenJson(node.children, node.attrs);
}

/** The children not named in `known`, as a JSON object; `null` when there are none. */
export function restJson(node: XNode, known: ReadonlySet<string>): Record<string, unknown> | null {
  if (node.children === null) return null;
  const rest = node.children.filter((k) => !known.has(k.name));
  return rest.length === 0 ? null : childrenJson(rest, null);
}

function attrsJson(attrs: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrs)) out[`@${k}`] = v;
  return out;
}

function childrenJson(kids: XNode[], attrs: Record<string, string> | null): Record<string, unknown> {
  const grouped = new Map<string, unknown[]>();
  for (const k of kids) {
    const list = grouped.get(k.name);
    if (list === undefined) grouped.set(k.name, [toJson(k)]);
    else list.push(toJson(k));
  }
  const out: Record<string, unknown> = attrs === null ? {} : attrsJson(attrs);
  for (const [name, values] of grouped) out[name] = values.length === 1 ? values[0] : values;
  return out;
}
