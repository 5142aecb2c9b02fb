import { describe, expect, it } from "vitest";
import { diffFields, isKnownAfterApply, KNOWN_AFTER_APPLY } from "./field-diff.ts";

describe("diffFields", () => {
  it("ignores fields the server adds and reports only what the config owns", () => {
    const observed = {
      pk: 7,
      name: "Grafana",
      slug: "grafana",
      launch_url: "https://g",
      meta_icon_url: null,
    };
    expect(diffFields({ name: "Grafana", slug: "grafana" }, observed)).toEqual([]);
  });

  it("reports changed scalars with before and after", () => {
    expect(diffFields({ name: "New" }, { name: "Old" })).toEqual([
      { path: "name", before: "Old", after: "New" },
    ]);
  });

  it("recurses into objects and names the nested path", () => {
    const changes = diffFields(
      { jsonData: { timeInterval: "30s", httpMethod: "POST" } },
      { jsonData: { timeInterval: "15s", httpMethod: "POST", extra: 1 } },
    );
    expect(changes).toEqual([{ path: "jsonData.timeInterval", before: "15s", after: "30s" }]);
  });

  it("compares arrays in order unless declared unordered", () => {
    const want = { grant_types: ["authorization_code", "refresh_token"] };
    const have = { grant_types: ["refresh_token", "authorization_code"] };
    expect(diffFields(want, have)).toHaveLength(1);
    expect(diffFields(want, have, { unordered: ["grant_types"] })).toEqual([]);
    expect(diffFields(want, { grant_types: ["refresh_token"] }, { unordered: ["grant_types"] })).toHaveLength(
      1,
    );
  });

  it("compares unordered arrays of objects by content", () => {
    const want = {
      redirect_uris: [
        { url: "b", matching_mode: "strict" },
        { url: "a", matching_mode: "strict" },
      ],
    };
    const have = {
      redirect_uris: [
        { matching_mode: "strict", url: "a" },
        { matching_mode: "strict", url: "b" },
      ],
    };
    expect(diffFields(want, have, { unordered: ["redirect_uris"] })).toEqual([]);
  });

  it("treats undefined as unmanaged and null like missing", () => {
    expect(diffFields({ description: undefined, icon: null }, { description: "x" })).toEqual([]);
  });

  it("marks sensitive fields", () => {
    expect(
      diffFields({ client_secret: "new" }, { client_secret: "old" }, { sensitive: ["client_secret"] }),
    ).toEqual([{ path: "client_secret", before: "old", after: "new", sensitive: true }]);
  });

  it("always reports a value known only after apply", () => {
    expect(isKnownAfterApply(KNOWN_AFTER_APPLY)).toBe(true);
    expect(diffFields({ provider: KNOWN_AFTER_APPLY }, { provider: 3 })).toEqual([
      { path: "provider", before: 3, after: KNOWN_AFTER_APPLY },
    ]);
  });

  it("reports a whole object when the server has a scalar there", () => {
    expect(diffFields({ settings: { a: 1 } }, { settings: null })).toEqual([
      { path: "settings", before: null, after: { a: 1 } },
    ]);
  });
});
