// JSON text with exact money: simulators write amounts from bigint minor units, never floats.

/** JSON text produced elsewhere (e.g. a projection written straight to text), embedded as is. */
export class RawJson {
  constructor(readonly text: string) {}
}

/**
 * JSON text of `value`, where every `bigint` is money in minor units written with `scale`
 * decimals (`-123456n`, scale 2 → `-1234.56`). Writing the digits ourselves keeps amounts exact
 * whatever their size: no float ever holds the money. `undefined` properties are left out.
 */
export function jsonText(value: unknown, scale: number): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return minorUnitsText(value, scale);
    case 'object': {
      if (value === null) return 'null';
      if (value instanceof RawJson) return value.text;
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + jsonText(value[i], scale);
        return out + ']';
      }
      let out = '{';
      let first = true;
      for (const key in value) {
        const v = (value as Record<string, unknown>)[key];
        if (v === undefined) continue;
        out += (first ? '' : ',') + JSON.stringify(key) + ':' + jsonText(v, scale);
        first = false;
      }
      return out + '}';
    }
    default:
      return 'null';
  }
}

/** `-123456n` with scale 2 → `-1234.56`; scale 0 → the integer. */
export function minorUnitsText(minor: bigint, scale: number): string {
  if (scale === 0) return minor.toString();
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(scale + 1, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}
