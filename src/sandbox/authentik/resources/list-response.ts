import { applyFilters, applyOrdering, type ListSpec } from "../list-query.ts";
import type { ApiResult } from "../operation.ts";
import { paginate } from "../pagination.ts";

/** filter → search → render → order → paginate, as a DRF list view does. */
export function listResponse<T>(
  rows: T[],
  query: URLSearchParams,
  spec: ListSpec<T>,
  render: (row: T) => Record<string, unknown>,
): ApiResult {
  const rendered = applyFilters(rows, query, spec).map(render);
  return { status: 200, body: paginate(applyOrdering(rendered, query, spec.ordering), query) };
}
