import { describe, expect, it } from "vitest";
import { secretDigest, writeOnlyChange } from "./write-only.ts";

describe("write-only values", () => {
  it("are unchanged only when the server holds one and its digest matches the last write", () => {
    const prior = secretDigest("value-1");
    expect(writeOnlyChange("k", "value-1", true, prior)).toBeUndefined();
    expect(writeOnlyChange("k", "value-2", true, prior)).toEqual({
      path: "k",
      before: "(set)",
      after: "value-2",
      sensitive: true,
    });
    expect(writeOnlyChange("k", "value-1", false, prior)).toMatchObject({
      before: undefined,
      sensitive: true,
    });
    expect(writeOnlyChange("k", "value-1", true, undefined)).toBeDefined();
  });

  it("digest with sha256 and never contain the value", () => {
    expect(secretDigest("value-1")).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(secretDigest("value-1")).not.toContain("value-1");
  });
});
