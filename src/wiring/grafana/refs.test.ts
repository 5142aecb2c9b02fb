import { describe, expect, it } from "vitest";
import { uidFromName } from "./refs.ts";

describe("uids derived from names", () => {
  it("are lower-case slugs when they fit", () => {
    expect(uidFromName("Disk Usage")).toBe("disk-usage");
    expect(uidFromName("Élan vital", "ap-")).toBe("ap-elan-vital");
  });

  it("stay within 40 characters and tell long or non-Latin names apart with a hash", () => {
    const a = uidFromName(`${"x".repeat(60)} one`);
    const b = uidFromName(`${"x".repeat(60)} two`);
    expect(a.length).toBeLessThanOrEqual(40);
    expect(a).not.toBe(b);
    expect(uidFromName("監視")).toMatch(/^[0-9a-f]{8}$/);
    expect(uidFromName("監視", "ap-")).toMatch(/^ap-[0-9a-f]{8}$/);
  });
});
