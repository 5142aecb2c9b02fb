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
 * every position (a quarter of a second for one apply's output).
 *
 * The scan skips (Wu–Manber): with `shortest` the length of the shortest value, it looks at a
 * window of that many characters and reads only the last three. A table says, for those three
 * characters (six low bits each: 2^18 entries), how far the window may move without stepping over
 * the start of any value; characters that end no value's first `shortest` characters let it move
 * almost a whole window. Generated secrets are tens of characters long, so the scan reads about
 * one character in ten of an apply's 4 MB result instead of every one. Only where the table
 * allows no move is a hash of the window's first four characters looked up and the values
 * starting with them compared. At a match the longest value wins and the scan continues after
 * it, so a secret containing another is masked whole; matches are found leftmost first, as a
 * character-by-character scan would find them.
 */
class SecretIndex {
  readonly #byPrefix = new Map<number, string[]>();
  /** Length of the shortest value: the window every step looks at. */
  readonly #shortest: number;
  /** For the last three characters of a window: how far it may move (0: compare here). */
  readonly #shift = new Uint8Array(1 << 18);

  constructor(values: Iterable<string>) {
    const all = [...values];
    let shortest = Number.POSITIVE_INFINITY;
    for (const value of all) shortest = Math.min(shortest, value.length);
    this.#shortest = Math.max(MIN_REDACTABLE_LENGTH, shortest);
    const window = this.#shortest;
    this.#shift.fill(Math.min(255, window - BLOCK + 1));
    for (const value of all) {
      for (let at = 0; at <= window - BLOCK; at++) {
        const block = tripleAt(value, at);
        const move = window - BLOCK - at;
        if (move < (this.#shift[block] as number)) this.#shift[block] = move;
      }
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
    const window = this.#shortest;
    const shift = this.#shift;
    // `end` is the last character of the window [end - window + 1, end].
    for (let end = window - 1; end < text.length; ) {
      const move = shift[tripleAt(text, end - BLOCK + 1)] as number;
      if (move > 0) {
        end += move;
        continue;
      }
      const start = end - window + 1;
      const found = this.#byPrefix
        .get(prefixHash(text, start))
        ?.find((value) => text.startsWith(value, start));
      if (found === undefined) {
        end += 1;
        continue;
      }
      out += text.slice(copied, start) + MASK;
      copied = start + found.length;
      end = copied + window - 1;
    }
    return copied === 0 ? text : out + text.slice(copied);
  }
}

/** Characters the skip table reads at the end of each window. */
const BLOCK = 3;

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
