import { z } from 'zod';

type Issue = z.core.$ZodIssue;
type Path = readonly PropertyKey[];

/** Names a field for a person: `organizations.acme.<provider>.environment` (or an option name). */
export type FieldLabel = (path: Path) => string;

/** Field names that hold a secret: they belong in the credential store, never in a config file. */
const SECRET_KEY = /token|secret|password|passwd|api[-_]?key|private[-_]?key|credential|session/i;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** Query or fragment parameters that carry a credential, beyond the secret-looking names above. */
const SECRET_PARAM = /^(key|apikey|sig|signature|auth|authorization|pass|pwd|code|jwt|bearer)$/i;

/**
 * Why a configuration value that is a URL carries credentials (`user:pass@host`, `?token=…`,
 * `?access_token=…`, `?key=…`, or the same in the fragment), or null. Never repeats them.
 */
export function urlCredentials(value: string): string | null {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value.trim())) return null;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return null;
  }
  if (url.username !== '' || url.password !== '') return 'a user name or password before the host, user:pass@';
  for (const [where, params] of [['query', url.searchParams], ['fragment', new URLSearchParams(url.hash.slice(1))]] as const) {
    const names = [...new Set([...params.keys()].filter((k) => isSecretKey(k) || SECRET_PARAM.test(k)))];
    if (names.length > 0) return `${names.map((n) => `"${n}"`).join(', ')} in its ${where}`;
  }
  return null;
}

/** Dotted path, with brackets for keys that would be ambiguous (an org id like "acme.no"). */
export const fieldPath: FieldLabel = (path) =>
  path
    .map((key, i) => (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key) ? `${i ? '.' : ''}${key}` : `[${JSON.stringify(String(key))}]`))
    .join('');

/**
 * One sentence per zod issue, naming the field and what is allowed. Values are echoed only
 * where they are choices (an enum, a literal): a misplaced token is never repeated back.
 */
export function describeIssues(issues: readonly Issue[], input: unknown, schema: z.ZodType, label: FieldLabel = fieldPath): string[] {
  return issues.flatMap((issue) => describe(issue, input, schema, label));
}

function describe(issue: Issue, input: unknown, schema: z.ZodType, label: FieldLabel): string[] {
  const name = label(issue.path) || 'The configuration';
  const received = valueAt(input, issue.path);
  const missing = received === undefined;
  switch (issue.code) {
    case 'unrecognized_keys': {
      const secret = issue.keys.filter(isSecretKey);
      const other = issue.keys.filter((k) => !isSecretKey(k));
      const orgId = issue.path[0] === 'organizations' && typeof issue.path[1] === 'string' ? issue.path[1] : '<id>';
      const sentences = secret.map(
        (key) =>
          `${label([...issue.path, key])} looks like a secret, and secrets never go in the configuration file: remove it and run "ledgerhouse connect ${orgId}", which stores them encrypted.`,
      );
      if (other.length > 0) {
        const allowed = allowedKeys(schema, issue.path, input);
        const list = other.map((k) => `"${k}"`).join(', ');
        sentences.push(
          `${name} has ${other.length === 1 ? 'an unknown field' : 'unknown fields'} ${list}${allowed.length ? `; allowed: ${allowed.join(', ')}` : ''}.`,
        );
      }
      return sentences;
    }
    case 'invalid_union': {
      const options = 'options' in issue ? issue.options : undefined;
      if (issue.discriminator && options) {
        const choices = oneOf(options);
        return [missing ? `${name} is missing; it must be ${choices}.` : `${name} must be ${choices}, not ${show(received)}.`];
      }
      return [`${name} is not valid: ${issue.message}.`];
    }
    case 'invalid_value': {
      const choices = oneOf(issue.values);
      return [missing ? `${name} is missing; it must be ${choices}.` : `${name} must be ${choices}, not ${show(received)}.`];
    }
    case 'invalid_type': {
      const expected = kind(issue.expected);
      return [missing ? `${name} is missing; it must be ${expected}.` : `${name} must be ${expected}, not ${typeName(received)}.`];
    }
    case 'too_small':
      return [`${name} must be ${issue.inclusive === false ? 'more than' : 'at least'} ${String(issue.minimum)}${issue.origin === 'string' ? ' characters long' : ''}.`];
    case 'too_big':
      return [`${name} must be ${issue.inclusive === false ? 'less than' : 'at most'} ${String(issue.maximum)}${issue.origin === 'string' ? ' characters long' : ''}.`];
    case 'invalid_key':
      // A record key (an organization id) failed: the key itself is the field at fault, and
      // its schema words the sentence.
      return [`${name} ${issue.issues.map((i) => i.message).join('; ')}.`];
    default: {
      // Formats and custom checks carry a sentence fragment written in the schema; `<id>` in
      // it is the organization's id where the path names one.
      const orgId = issue.path[0] === 'organizations' && typeof issue.path[1] === 'string' ? issue.path[1] : '<id>';
      return [`${name} ${issue.message.replaceAll('<id>', orgId)}.`];
    }
  }
}

function valueAt(input: unknown, path: Path): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** The fields an object at `path` may have, following records and the chosen union member. */
function allowedKeys(schema: z.ZodType, path: Path, input: unknown): string[] {
  let current: z.ZodType | undefined = schema;
  let value = input;
  for (let i = 0; i <= path.length && current; i++) {
    current = unwrap(current, value);
    if (i === path.length) break;
    const key = path[i]!;
    if (current instanceof z.ZodObject) current = (current.shape as Record<PropertyKey, z.ZodType>)[key];
    else if (current instanceof z.ZodRecord) current = current.valueType as z.ZodType;
    else current = undefined;
    value = valueAt(value, [key]);
  }
  return current instanceof z.ZodObject ? Object.keys(current.shape) : [];
}

function unwrap(schema: z.ZodType, value: unknown): z.ZodType | undefined {
  let current: z.ZodType | undefined = schema;
  for (;;) {
    if (current instanceof z.ZodDefault || current instanceof z.ZodPrefault || current instanceof z.ZodOptional) current = current.unwrap() as z.ZodType;
    else if (current instanceof z.ZodDiscriminatedUnion) {
      const union: z.ZodDiscriminatedUnion = current;
      current = (union.options as z.ZodType[]).find((option) => matchesDiscriminator(option, union, value));
    } else return current;
  }
}

function matchesDiscriminator(option: z.ZodType, union: z.ZodDiscriminatedUnion, value: unknown): boolean {
  const key = union.def.discriminator;
  if (!(option instanceof z.ZodObject) || value === null || typeof value !== 'object') return false;
  const field = (option.shape as Record<string, z.ZodType>)[key];
  return field?.safeParse((value as Record<string, unknown>)[key]).success ?? false;
}

function oneOf(values: readonly unknown[]): string {
  const shown = values.map((v) => JSON.stringify(v));
  if (shown.length === 1) return shown[0]!;
  if (shown.length === 2) return `${shown[0]} or ${shown[1]}`;
  return `one of ${shown.slice(0, -1).join(', ')} or ${shown.at(-1)}`;
}

/**
 * A short echo of a value that was meant to be one of a few choices. A longer one is not
 * echoed at all, only its length: it may be a token pasted into the wrong field.
 */
function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  if (text.length <= SHOWN_AT_MOST) return text;
  return typeof value === 'string' ? `a text of ${value.length} characters` : typeName(value);
}

const SHOWN_AT_MOST = 20;

function kind(expected: string): string {
  const names: Record<string, string> = {
    string: 'text',
    number: 'a number',
    int: 'a whole number',
    boolean: 'true or false',
    object: 'an object',
    record: 'an object',
    array: 'a list',
  };
  return names[expected] ?? expected;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number') return Number.isInteger(value) ? 'a whole number' : 'a fraction';
  if (typeof value === 'string') return 'text';
  if (typeof value === 'object') return 'an object';
  return typeof value;
}
