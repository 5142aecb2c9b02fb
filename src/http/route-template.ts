/**
 * Route labels for metrics: the path with its variable parts replaced by `{id}`, so that
 * `/api/v3/core/users/42/` and `/api/v3/core/users/43/` are one time series. Callers that know
 * their route pass `request.route`; this is the fallback for everything else (the generated
 * Authentik client, health probes). A per-target cap bounds what no rule foresaw.
 */
const ID_SEGMENT_PATTERNS: readonly RegExp[] = [
  /^\d+$/, // numeric ids
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, // UUIDs
  /^(?=.*\d)[0-9a-f]{8,}$/i, // hex ids (Docker, hashes, Grafana uids made of hex)
  /^[a-z]{2,6}_[A-Za-z0-9_-]{8,}$/, // prefixed tokens: glsa_..., glc_...
  /^[a-z]{1,4}\.[A-Za-z0-9_-]{16,}$/, // dotted tokens: hvs.…, s.…
];

/** Segments this long are identifiers (or worse, secrets), never route names. */
const MAX_SEGMENT_LENGTH = 40;

export function routeTemplate(path: string): string {
  const pathOnly = path.split(/[?#]/, 1)[0] ?? "";
  return pathOnly
    .split("/")
    .map((segment) => (isIdSegment(segment) ? "{id}" : segment))
    .join("/");
}

function isIdSegment(segment: string): boolean {
  if (segment === "") return false;
  if (segment.length > MAX_SEGMENT_LENGTH) return true;
  return ID_SEGMENT_PATTERNS.some((pattern) => pattern.test(segment));
}

/** Distinct routes kept per target before new ones are folded into one label. */
export const MAX_ROUTES_PER_TARGET = 200;
export const OVERFLOW_ROUTE = "{other}";

/**
 * Remembers the routes each target has used and folds any beyond the cap into
 * `OVERFLOW_ROUTE`, so a client that walks an unbounded set of slugs cannot blow up the
 * metrics registry.
 */
export class RouteLabels {
  readonly #seen = new Map<string, Set<string>>();
  readonly #limit: number;

  constructor(limit = MAX_ROUTES_PER_TARGET) {
    this.#limit = limit;
  }

  label(target: string, route: string): string {
    let routes = this.#seen.get(target);
    if (!routes) {
      routes = new Set();
      this.#seen.set(target, routes);
    }
    if (routes.has(route)) return route;
    if (routes.size >= this.#limit) return OVERFLOW_ROUTE;
    routes.add(route);
    return route;
  }
}
