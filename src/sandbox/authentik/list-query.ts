import { validationFailed } from "./errors.ts";

/**
 * The list machinery every authentik viewset shares: django-filter filters (exact unless the
 * name says otherwise; an unknown parameter or an empty value is ignored, which is the trap that
 * makes a misspelt filter return everything), DRF's SearchFilter (`search=`, every term must
 * match some search field) and OrderingFilter (`ordering=a,-b`, unknown fields dropped).
 */
export type Filter<T> = (rows: T[], values: string[], param: string) => T[];

export interface ListSpec<T> {
  filters: Record<string, Filter<T>>;
  searchFields: (row: T) => unknown[];
  /** The viewset's default `ordering`. */
  ordering: string[];
}

type Scalar = string | number | boolean | null | undefined;

export function applyFilters<T>(rows: T[], query: URLSearchParams, spec: ListSpec<T>): T[] {
  let out = rows;
  for (const [param, filter] of Object.entries(spec.filters)) {
    const values = query.getAll(param).filter((v) => v !== "");
    if (values.length > 0) out = filter(out, values, param);
  }
  const search = query.get("search");
  if (search) {
    const terms = search
      .split(/[\s,]+/)
      .filter((t) => t !== "")
      .map((t) => t.toLowerCase());
    out = out.filter((row) => {
      const haystack = spec.searchFields(row).map((v) => String(v ?? "").toLowerCase());
      return terms.every((term) => haystack.some((value) => value.includes(term)));
    });
  }
  return out;
}

export function applyOrdering<R extends Record<string, unknown>>(
  rows: R[],
  query: URLSearchParams,
  defaultOrdering: string[],
): R[] {
  const sample = rows[0];
  const requested = (query.get("ordering") ?? "")
    .split(",")
    .map((f) => f.trim())
    .filter((f) => f !== "" && (sample === undefined || isOrderable(sample[f.replace(/^-/, "")])));
  const ordering = requested.length > 0 ? requested : defaultOrdering;
  return [...rows].sort((a, b) => {
    for (const field of ordering) {
      const descending = field.startsWith("-");
      const name = descending ? field.slice(1) : field;
      const result = compare(a[name] as Scalar, b[name] as Scalar);
      if (result !== 0) return descending ? -result : result;
    }
    return 0;
  });
}

function isOrderable(value: unknown): boolean {
  return value === null || ["string", "number", "boolean"].includes(typeof value);
}

const collator = new Intl.Collator("en");

/** PostgreSQL treats NULL as the largest value: last ascending, first descending. */
function compare(a: Scalar, b: Scalar): number {
  const aNull = a === null || a === undefined;
  const bNull = b === null || b === undefined;
  if (aNull || bNull) return aNull === bNull ? 0 : aNull ? 1 : -1;
  if (typeof a === "string" && typeof b === "string") return collator.compare(a, b);
  return Number(a) - Number(b);
}

// ---- filter builders -------------------------------------------------------------------------

/** Django's QueryDict.get: the last value wins. */
const last = (values: string[]) => values[values.length - 1] as string;

export function exact<T>(get: (row: T) => Scalar): Filter<T> {
  return (rows, values) => rows.filter((row) => String(get(row)) === last(values));
}

export function iexact<T>(get: (row: T) => Scalar): Filter<T> {
  return (rows, values) =>
    rows.filter((row) => String(get(row) ?? "").toLowerCase() === last(values).toLowerCase());
}

export function icontains<T>(get: (row: T) => Scalar): Filter<T> {
  return (rows, values) =>
    rows.filter((row) =>
      String(get(row) ?? "")
        .toLowerCase()
        .includes(last(values).toLowerCase()),
    );
}

/** A BooleanFilter; a value that is not a boolean leaves the list unfiltered. */
export function boolean<T>(get: (row: T) => boolean): Filter<T> {
  return (rows, values) => {
    const wanted = parseBoolean(last(values));
    return wanted === undefined ? rows : rows.filter((row) => get(row) === wanted);
  };
}

export function isNull<T>(get: (row: T) => boolean): Filter<T> {
  return boolean(get);
}

export function parseBoolean(value: string): boolean | undefined {
  const lower = value.toLowerCase();
  if (lower === "true" || lower === "1") return true;
  if (lower === "false" || lower === "0") return false;
  return undefined;
}

/**
 * A (Model)MultipleChoiceFilter: the key repeats, a row matches any value, and a value that is
 * not one of the choices is a 400, unlike a plain filter.
 */
export function anyOf<T>(get: (row: T) => Scalar | Scalar[], choices: () => Iterable<Scalar>): Filter<T> {
  return (rows, values, param) => {
    const valid = new Set([...choices()].map((c) => String(c)));
    const invalid = values.find((v) => !valid.has(v));
    if (invalid !== undefined) {
      throw validationFailed({
        [param]: [`Select a valid choice. ${invalid} is not one of the available choices.`],
      });
    }
    return rows.filter((row) => {
      const have = [get(row)].flat().map((v) => String(v));
      return values.some((v) => have.includes(v));
    });
  };
}

/** A ModelMultipleChoiceFilter on an integer key: non-numbers get Django's invalid_pk_value. */
export function anyOfIntegerPk<T>(get: (row: T) => number[], exists: () => Iterable<number>): Filter<T> {
  const choices = anyOf(get, exists);
  return (rows, values, param) => {
    const bad = values.find((v) => !/^\d+$/.test(v));
    if (bad !== undefined) throw validationFailed({ [param]: [`“${bad}” is not a valid value.`] });
    return choices(rows, values, param);
  };
}
