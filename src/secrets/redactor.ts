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

export class Redactor {
  readonly #values = new Set<string>();
  #pattern: RegExp | undefined;

  /** Registers a secret and the encodings it is commonly seen in (JSON, URL, base64). */
  register(value: string): void {
    if (value.length < MIN_REDACTABLE_LENGTH) return;
    const before = this.#values.size;
    for (const form of encodingsOf(value)) {
      if (form.length >= MIN_REDACTABLE_LENGTH) this.#values.add(form);
    }
    if (this.#values.size !== before) this.#pattern = undefined;
  }

  get size(): number {
    return this.#values.size;
  }

  /** For tests: forget every value. */
  clear(): void {
    this.#values.clear();
    this.#pattern = undefined;
  }

  redact(text: string): string {
    if (this.#values.size === 0 || text.length < MIN_REDACTABLE_LENGTH) return text;
    this.#pattern ??= buildPattern(this.#values);
    return text.replace(this.#pattern, MASK);
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

function buildPattern(values: Set<string>): RegExp {
  // Longest first, so a secret that contains another is masked whole.
  const sorted = [...values].sort((a, b) => b.length - a.length);
  return new RegExp(sorted.map(escapeRegExp).join("|"), "g");
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The process-wide redactor: secrets can flow into any output, so there is exactly one. */
export const redactor = new Redactor();
