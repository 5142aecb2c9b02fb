/**
 * Some Grafana lists give summaries only: a dashboard search hit has no model, a datasource list
 * item has no `version` nor `secureJsonFields`, a team has no members. Reading every object's
 * details would be one GET per object, managed or not. Instead each kind's `prepare` (which the
 * engine runs for every desired resource before it lists anything) records the keys the config
 * manages, and `list` reads details for those keys only. Objects listed without details are
 * still seen (for ownership, conflicts and deletes), and `read` always reads details.
 */
export class DetailInterest {
  readonly #keys = new Map<string, Set<string>>();

  add(kind: string, key: string): void {
    let keys = this.#keys.get(kind);
    if (!keys) {
      keys = new Set();
      this.#keys.set(kind, keys);
    }
    keys.add(key);
  }

  has(kind: string, key: string): boolean {
    return this.#keys.get(kind)?.has(key) ?? false;
  }
}
