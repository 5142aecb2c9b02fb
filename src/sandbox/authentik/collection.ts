/**
 * One table of the simulated database, in insertion order. Lookups by other columns scan the
 * table: a sandbox holds hundreds of rows, not millions.
 */
export class Collection<K, V> {
  readonly #rows = new Map<K, V>();
  readonly #keyOf: (row: V) => K;

  constructor(keyOf: (row: V) => K) {
    this.#keyOf = keyOf;
  }

  get(key: K): V | undefined {
    return this.#rows.get(key);
  }

  find(predicate: (row: V) => boolean): V | undefined {
    for (const row of this.#rows.values()) if (predicate(row)) return row;
    return undefined;
  }

  all(): V[] {
    return [...this.#rows.values()];
  }

  count(): number {
    return this.#rows.size;
  }

  insert(row: V): V {
    this.#rows.set(this.#keyOf(row), row);
    return row;
  }

  delete(key: K): boolean {
    return this.#rows.delete(key);
  }
}
