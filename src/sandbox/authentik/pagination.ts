import { invalidPage } from "./errors.ts";

/**
 * authentik's Pagination (DRF PageNumberPagination plus a richer envelope): page numbers, not
 * URLs, with 0 meaning "no such page"; page_size defaults to 20 and is silently capped at 100.
 */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface Paginated<T> {
  pagination: {
    next: number;
    previous: number;
    count: number;
    current: number;
    total_pages: number;
    start_index: number;
    end_index: number;
  };
  results: T[];
  autocomplete: Record<string, never>;
}

export function paginate<T>(items: readonly T[], query: URLSearchParams): Paginated<T> {
  const pageSize = parsePageSize(query.get("page_size"));
  const count = items.length;
  const totalPages = Math.max(1, Math.ceil(count / pageSize));
  const page = parsePage(query.get("page"), totalPages);
  const start = (page - 1) * pageSize;
  const results = items.slice(start, start + pageSize);
  return {
    pagination: {
      next: page < totalPages ? page + 1 : 0,
      previous: page > 1 ? page - 1 : 0,
      count,
      current: page,
      total_pages: totalPages,
      start_index: count === 0 ? 0 : start + 1,
      end_index: page === totalPages ? count : page * pageSize,
    },
    results,
    autocomplete: {},
  };
}

/** DRF's _positive_int(strict=True, cutoff=max): anything but a positive integer means the default. */
function parsePageSize(raw: string | null): number {
  if (raw === null || !/^\s*\+?\d+\s*$/.test(raw)) return DEFAULT_PAGE_SIZE;
  const value = Number.parseInt(raw, 10);
  if (value <= 0) return DEFAULT_PAGE_SIZE;
  return Math.min(value, MAX_PAGE_SIZE);
}

/** Django's Paginator.validate_number, plus DRF's "last". Anything invalid is "Invalid page." */
function parsePage(raw: string | null, totalPages: number): number {
  if (raw === null || raw === "") return 1;
  if (raw === "last") return totalPages;
  if (!/^\s*[+-]?\d+(\.0*)?\s*$/.test(raw)) throw invalidPage();
  const page = Number.parseInt(raw, 10);
  if (page < 1 || page > totalPages) throw invalidPage();
  return page;
}
