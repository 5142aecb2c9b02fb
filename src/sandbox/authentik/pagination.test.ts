import { describe, expect, it } from "vitest";
import { ApiError } from "./errors.ts";
import { paginate } from "./pagination.ts";

const items = Array.from({ length: 150 }, (_, i) => i + 1);
const q = (text: string) => new URLSearchParams(text);

describe("authentik pagination", () => {
  it("defaults to 20 per page with page numbers, 0 meaning none", () => {
    expect(paginate(items, q("")).pagination).toEqual({
      next: 2,
      previous: 0,
      count: 150,
      current: 1,
      total_pages: 8,
      start_index: 1,
      end_index: 20,
    });
  });

  it("caps page_size at 100 silently and treats nonsense as the default", () => {
    expect(paginate(items, q("page_size=500")).results).toHaveLength(100);
    expect(paginate(items, q("page_size=0")).results).toHaveLength(20);
    expect(paginate(items, q("page_size=abc")).results).toHaveLength(20);
    expect(paginate(items, q("page_size=-5")).results).toHaveLength(20);
  });

  it("ends with next=0 on the last page, which `last` also names", () => {
    const last = paginate(items, q("page_size=100&page=2"));
    expect(last.pagination).toMatchObject({
      next: 0,
      previous: 1,
      current: 2,
      start_index: 101,
      end_index: 150,
    });
    expect(last.results).toHaveLength(50);
    expect(paginate(items, q("page_size=100&page=last")).pagination.current).toBe(2);
  });

  it("answers 404 Invalid page. past the end, before the start and for non-numbers", () => {
    for (const page of ["9", "0", "-1", "two"]) {
      try {
        paginate(items, q(`page=${page}`));
        expect.unreachable(`page=${page}`);
      } catch (error) {
        expect(error).toBeInstanceOf(ApiError);
        expect((error as ApiError).status).toBe(404);
        expect((error as ApiError).body).toEqual({ detail: "Invalid page." });
      }
    }
  });

  it("has one empty first page for an empty list", () => {
    expect(paginate([], q("")).pagination).toEqual({
      next: 0,
      previous: 0,
      count: 0,
      current: 1,
      total_pages: 1,
      start_index: 0,
      end_index: 0,
    });
    expect(paginate([], q("")).autocomplete).toEqual({});
  });
});
