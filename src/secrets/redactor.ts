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
  #index: SecretIndex | undefined;

  /** Registers a secret and the encodings it is commonly seen in (JSON, URL, base64). */
  register(value: string): void {
    if (value.length < MIN_REDACTABLE_LENGTH) return;
    const before = this.#values.size;
    for (const form of encodingsOf(value)) {
      if (form.length >= MIN_REDACTABLE_LENGTH) this.#values.add(form);
    }
    if (this.#values.size !== before) this.#index = undefined;
  }

  get size(): number {
    return this.#values.size;
  }

  /** For tests: forget every value. */
  clear(): void {
    this.#values.clear();
    this.#index = undefined;
  }

  redact(text: string): string {
    if (this.#values.size === 0 || text.length < MIN_REDACTABLE_LENGTH) return text;
    this.#index ??= new SecretIndex(this.#values);
    return this.#index.mask(text);
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

/**
 * Finds registered values in a text in one pass, whatever their number. Hand-written because a
 * regular expression alternating a big lab's 2,000 encoded secrets tried every one of them at
 * every position (a quarter of a second for one apply's output). Here each position costs one
 * bit test: a bitset marks the first three characters of every value, six low bits each (which
 * keeps letters and digits apart, and the table at 32 KiB, in the processor's nearest cache),
 * and the three characters at the scan position roll along with it. Generated secrets are
 * alphanumeric, so a filter on two characters let half of ordinary JSON through; on three,
 * about 1 % of it. Only then is a hash of the first four characters looked up and the values
 * starting with them compared. At a match the longest value wins and the scan continues after
 * it, so a secret containing another is masked whole.
 */
class SecretIndex {
  readonly #byPrefix = new Map<number, string[]>();
  /** One bit per three characters' low six bits (2^18 bits): set where some value starts so. */
  readonly #starts = new Uint32Array(1 << 13);

  constructor(values: Iterable<string>) {
    for (const value of values) {
      const triple = tripleAt(value, 0);
      this.#starts[triple >>> 5] = (this.#starts[triple >>> 5] as number) | (1 << (triple & 31));
      const key = prefixHash(value, 0);
      const bucket = this.#byPrefix.get(key);
      if (bucket) bucket.push(value);
      else this.#byPrefix.set(key, [value]);
    }
    for (const bucket of this.#byPrefix.values()) bucket.sort((a, b) => b.length - a.length);
  }

  mask(text: string): string {
    let out = "";
    let copied = 0;
    const last = text.length - MIN_REDACTABLE_LENGTH;
    const starts = this.#starts;
    let triple = tripleAt(text, 0);
    for (let i = 0; i <= last; ) {
      if (((starts[triple >>> 5] as number) & (1 << (triple & 31))) !== 0) {
        const found = this.#byPrefix.get(prefixHash(text, i))?.find((value) => text.startsWith(value, i));
        if (found !== undefined) {
          out += text.slice(copied, i) + MASK;
          i += found.length;
          copied = i;
          triple = tripleAt(text, i);
          continue;
        }
      }
      i += 1;
      triple = ((triple << 6) | (text.charCodeAt(i + 2) & 0x3f)) & 0x3ffff;
    }
    return copied === 0 ? text : out + text.slice(copied);
  }
}

/** The low six bits of the three UTF-16 code units at `at` (past the end counts as 0). */
function tripleAt(text: string, at: number): number {
  return (
    ((text.charCodeAt(at) & 0x3f) << 12) |
    ((text.charCodeAt(at + 1) & 0x3f) << 6) |
    (text.charCodeAt(at + 2) & 0x3f)
  );
}

/** FNV-1a over the UTF-16 code units at `at`..`at + 3` (values are at least that long). */
function prefixHash(text: string, at: number): number {
  let hash = 0x811c9dc5;
  for (let i = at; i < at + MIN_REDACTABLE_LENGTH; i++)
    hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash;
}

/** The process-wide redactor: secrets can flow into any output, so there is exactly one. */
export const redactor = new Redactor();
