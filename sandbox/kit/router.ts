// Method + path-pattern routing for the simulators, over decoded paths.

export type RouteParams = Record<string, string>;

interface Route<H> {
  method: string;
  pattern: string;
  segments: string[];
  params: number;
  handler: H;
}

export type RouteMatch<H> =
  | { kind: 'found'; handler: H; params: RouteParams; pattern: string }
  | { kind: 'method-not-allowed'; allowed: string[] }
  | { kind: 'not-found' };

/**
 * Method + path pattern (`/company/{id}`) over decoded paths, so `>whoAmI`, `%3EwhoAmI` and
 * `:create` all match literally. Where a literal and a `{param}` both match, the literal wins.
 */
export class Router<H> {
  private readonly routes: Route<H>[] = [];

  add(method: string, pattern: string, handler: H): this {
    const segments = splitPath(pattern);
    const params = segments.filter(isParam).length;
    this.routes.push({ method: method.toUpperCase(), pattern, segments, params, handler });
    // Fewer parameters first: literal segments win over captures.
    this.routes.sort((a, b) => a.params - b.params);
    return this;
  }

  match(method: string, path: string): RouteMatch<H> {
    const segments = splitPath(path);
    const allowed: string[] = [];
    for (const route of this.routes) {
      const params = matchSegments(route.segments, segments);
      if (!params) continue;
      if (route.method === method.toUpperCase()) return { kind: 'found', handler: route.handler, params, pattern: route.pattern };
      allowed.push(route.method);
    }
    return allowed.length ? { kind: 'method-not-allowed', allowed } : { kind: 'not-found' };
  }
}

const isParam = (segment: string) => segment.startsWith('{') && segment.endsWith('}');

function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

function matchSegments(pattern: string[], path: string[]): RouteParams | null {
  if (pattern.length !== path.length) return null;
  const params: RouteParams = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    if (isParam(p)) params[p.slice(1, -1)] = path[i]!;
    else if (p !== path[i]) return null;
  }
  return params;
}
