import type { Collection } from "../collection.ts";
import { notFound, notFoundMalformed } from "../errors.ts";
import { canonicalUuid } from "../random-values.ts";

/**
 * DRF's get_object(): Django's get_object_or_404 on the lookup field. A value the key column
 * cannot hold (a malformed UUID, "abc" for an integer id) fails before the query with a bare
 * "Not found."; a well-formed value that matches nothing names the model class. Objects the
 * caller may not view are not found either.
 */
export function byUuid<V>(rows: Collection<string, V>, raw: string, modelClass: string, visible = true): V {
  const pk = canonicalUuid(raw);
  if (!pk) throw notFoundMalformed();
  const row = rows.get(pk);
  if (!row || !visible) throw notFound(modelClass);
  return row;
}

export function byIntegerId<V>(
  rows: Collection<number, V>,
  raw: string,
  modelClass: string,
  visible = true,
): V {
  if (!/^[+-]?\d+$/.test(raw)) throw notFoundMalformed();
  const row = rows.get(Number.parseInt(raw, 10));
  if (!row || !visible) throw notFound(modelClass);
  return row;
}

export function byField<K, V>(
  rows: Collection<K, V>,
  matches: (row: V) => boolean,
  modelClass: string,
  visible = true,
): V {
  const row = rows.find(matches);
  if (!row || !visible) throw notFound(modelClass);
  return row;
}
