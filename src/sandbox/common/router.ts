/**
 * A small path router for the simulators. Hand-written instead of a framework router because the
 * simulators must reproduce exact path semantics of the real servers (Authentik's trailing
 * slash is significant; Vault paths contain slashes) and a framework would normalise them.
 *
 * Patterns: literal segments, `:name` for one segment, and a final `*name` for the rest.
 */
export type RouteParams = Record<string, string>;

interface Route<H> {
  method: string;
  segments: string[];
  handler: H;
}

export interface RouteMatch<H> {
  handler: H;
  params: RouteParams;
}

export class Router<H> {
  readonly #routes: Route<H>[] = [];

  add(method: string, pattern: string, handler: H): this {
    this.#routes.push({ method, segments: pattern.split("/"), handler });
    return this;
  }

  /** The handler for method+path, "method-not-allowed" when the path exists for other methods. */
  match(method: string, path: string): RouteMatch<H> | "method-not-allowed" | undefined {
    const parts = path.split("/");
    let pathExists = false;
    for (const route of this.#routes) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      if (route.method === method) return { handler: route.handler, params };
      pathExists = true;
    }
    return pathExists ? "method-not-allowed" : undefined;
  }

  /** Methods registered for a path, for 405 answers and Allow headers. */
  methodsFor(path: string): string[] {
    const parts = path.split("/");
    return this.#routes.filter((route) => matchSegments(route.segments, parts)).map((route) => route.method);
  }
}

function matchSegments(pattern: string[], parts: string[]): RouteParams | undefined {
  const params: RouteParams = {};
  for (let i = 0; i < pattern.length; i++) {
    const segment = pattern[i] as string;
    if (segment.startsWith("*")) {
      const rest = parts.slice(i).join("/");
      if (rest === "") return undefined;
      params[segment.slice(1)] = safeDecode(rest);
      return params;
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    if (segment.startsWith(":")) {
      if (part === "") return undefined;
      params[segment.slice(1)] = safeDecode(part);
    } else if (segment !== part) {
      return undefined;
    }
  }
  return pattern.length === parts.length ? params : undefined;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
