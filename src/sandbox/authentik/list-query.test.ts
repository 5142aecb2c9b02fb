import { describe, expect, it } from "vitest";
import { ApiError } from "./errors.ts";
import {
  anyOf,
  anyOfIntegerPk,
  applyFilters,
  applyOrdering,
  boolean,
  exact,
  icontains,
  iexact,
  type ListSpec,
  parseBoolean,
} from "./list-query.ts";

interface Row {
  name: string;
  n: number;
  on: boolean;
  tag: string | null;
  ids: number[];
}
const rows: Row[] = [
  { name: "beta", n: 2, on: true, tag: "x", ids: [1] },
  { name: "Alpha", n: 3, on: false, tag: null, ids: [2, 3] },
  { name: "gamma ray", n: 1, on: true, tag: "y", ids: [] },
];
const spec: ListSpec<Row> = {
  filters: {
    name: exact((r) => r.name),
    name__iexact: iexact((r) => r.name),
    name__icontains: icontains((r) => r.name),
    on: boolean((r) => r.on),
    tag: anyOf(
      (r) => r.tag,
      () => ["x", "y"],
    ),
    ids: anyOfIntegerPk(
      (r) => r.ids,
      () => [1, 2, 3],
    ),
  },
  searchFields: (r) => [r.name, r.tag],
  ordering: ["name"],
};
const names = (list: Row[]) => list.map((r) => r.name);
const filter = (query: string) => names(applyFilters(rows, new URLSearchParams(query), spec));

describe("list filters", () => {
  it("ignores unknown parameters and empty values, returning everything", () => {
    expect(filter("nmae=beta")).toEqual(["beta", "Alpha", "gamma ray"]);
    expect(filter("name=")).toEqual(["beta", "Alpha", "gamma ray"]);
  });

  it("matches exactly unless the name says iexact or icontains", () => {
    expect(filter("name=alpha")).toEqual([]);
    expect(filter("name__iexact=alpha")).toEqual(["Alpha"]);
    expect(filter("name__icontains=MM")).toEqual(["gamma ray"]);
    expect(filter("name=x&name=beta")).toEqual(["beta"]);
  });

  it("reads booleans leniently and ignores ones it cannot read", () => {
    expect(filter("on=false")).toEqual(["Alpha"]);
    expect(filter("on=1")).toEqual(["beta", "gamma ray"]);
    expect(filter("on=perhaps")).toEqual(["beta", "Alpha", "gamma ray"]);
    expect(parseBoolean("True")).toBe(true);
  });

  it("accepts repeated choices but rejects an unknown choice with a 400", () => {
    expect(filter("tag=x&tag=y")).toEqual(["beta", "gamma ray"]);
    expect(filter("ids=3")).toEqual(["Alpha"]);
    expect(() => filter("tag=z")).toThrow(ApiError);
    try {
      filter("tag=z");
    } catch (error) {
      expect((error as ApiError).body).toEqual({
        tag: ["Select a valid choice. z is not one of the available choices."],
      });
    }
    try {
      filter("ids=abc");
    } catch (error) {
      expect((error as ApiError).body).toEqual({ ids: ["“abc” is not a valid value."] });
    }
  });

  it("searches every term across the search fields", () => {
    expect(filter("search=AL")).toEqual(["Alpha"]);
    expect(filter("search=gamma y")).toEqual(["gamma ray"]);
    expect(filter("search=gamma,x")).toEqual([]);
  });
});

describe("ordering", () => {
  const rendered = rows.map((r) => ({ name: r.name, n: r.n, tag: r.tag, ids: r.ids }));
  const order = (query: string) =>
    applyOrdering(rendered, new URLSearchParams(query), ["name"]).map((r) => r.name);

  it("uses the default ordering, case-insensitively like PostgreSQL's collation", () => {
    expect(order("")).toEqual(["Alpha", "beta", "gamma ray"]);
  });

  it("sorts by requested fields, descending with a dash, and drops unknown ones", () => {
    expect(order("ordering=-n")).toEqual(["Alpha", "beta", "gamma ray"]);
    expect(order("ordering=n")).toEqual(["gamma ray", "beta", "Alpha"]);
    expect(order("ordering=bogus,ids")).toEqual(["Alpha", "beta", "gamma ray"]);
  });

  it("puts nulls last ascending and first descending", () => {
    expect(order("ordering=tag")).toEqual(["beta", "gamma ray", "Alpha"]);
    expect(order("ordering=-tag")).toEqual(["Alpha", "gamma ray", "beta"]);
  });
});
