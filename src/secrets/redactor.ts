/**
 * Masks every secret value the process has seen. Resolvers register each value the moment
 * they read it; logs, audit entries, error messages and plan output pass through `redact`.
 *
 * Hand-written rather than pino's `redact` option because pino redacts by key path, and a
 * secret can appear anywhere: inside a URL, an error body, a header echoed back by a server.
 */
export const MASK = "[redacted]";

/** Shorter values would mask ordinary words; such secrets are refused where they are stored. */
export const MIN_REDACTABLE_LENGTH = 4;

/**
 * Patterns are split into chunks so that hundreds of registered secrets (every generated client
 * secret of a big lab, in four encodings each) never build one regular expression larger than
 * the engine accepts; very long values are replaced by plain string search.
 */
const MAX_PATTERN_SOURCE = 16_384;
const LONG_VALUE = 1_024;

export class Redactor {
  readonly #values = new Set<string>();
  #patterns: { long: string[]; regexps: RegExp[] } | undefined;

  /** Registers a secret and the encodings it is commonly seen in (JSON, URL, base64). */
  register(value: string): void {
    if (value.length < MIN_REDACTABLE_LENGTH) return;
    const before = this.#values.size;
    for (const form of encodingsOf(value)) {
      if (form.length >= MIN_REDACTABLE_LENGTH) this.#values.add(form);
    }
    if (this.#values.size !== before) this.#patterns = undefined;
  }

  get size(): number {
    return this.#values.size;
  }

  /** For tests: forget every value. */
  clear(): void {
    this.#values.clear();
    this.#patterns = undefined;
  }

  redact(text: string): string {
    if (this.#values.size === 0 || text.length < MIN_REDACTABLE_LENGTH) return text;
    this.#patterns ??= buildPatterns(this.#values);
    let out = text;
    for (const value of this.#patterns.long) if (out.includes(value)) out = out.split(value).join(MASK);
    for (const pattern of this.#patterns.regexps) out = out.replace(pattern, MASK);
    return out;
  }

  /** A deep copy of `value` with every string (keys included) redacted. */
  redactValue<T>(value: T): T {
    return this.#redactDeep(value, new WeakMap()) as T;
  }

  #redactDeep(value: unknown, seen: WeakMap<object, unknown>): unknown {
    if (typeof value === "string") return this.redact(value);
    if (value === null || typeof value !== "object") return value;
    if (seen.has(value)) return seen.get(value);
    if (Array.isArray(value)) {
      const copy: unknown[] = [];
      seen.set(value, copy);
      for (const item of value) copy.push(this.#redactDeep(item, seen));
      return copy;
    }
    if (value instanceof Date) return value;
    const copy: Record<string, unknown> = {};
    seen.set(value, copy);
    for (const [key, item] of Object.entries(value)) copy[this.redact(key)] = this.#redactDeep(item, seen);
    return copy;
  }
}

function encodingsOf(value: string): string[] {
  return [
    value,
    JSON.stringify(value).slice(1, -1),
    encodeURIComponent(value),
    Buffer.from(value).toString("base64").replace(/=+$/, ""),
  ];
}

function buildPatterns(values: Set<string>): { long: string[]; regexps: RegExp[] } {
  // Longest first (across chunks too), so a secret that contains another is masked whole.
  const sorted = [...values].sort((a, b) => b.length - a.length);
  const long = sorted.filter((value) => value.length > LONG_VALUE);
  const regexps: RegExp[] = [];
  let chunk: string[] = [];
  let size = 0;
  for (const value of sorted.filter((v) => v.length <= LONG_VALUE)) {
    const escaped = escapeRegExp(value);
    if (size + escaped.length > MAX_PATTERN_SOURCE && chunk.length > 0) {
      regexps.push(new RegExp(chunk.join("|"), "g"));
      chunk = [];
      size = 0;
    }
    chunk.push(escaped);
    size += escaped.length + 1;
  }
  if (chunk.length > 0) regexps.push(new RegExp(chunk.join("|"), "g"));
  return { long, regexps };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The process-wide redactor: secrets can flow into any output, so there is exactly one. */
export const redactor = new Redactor();
