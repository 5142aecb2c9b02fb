import { describe, expect, it } from "vitest";
import { releaseMemory } from "./release-memory.ts";

describe("releaseMemory", () => {
  it("runs a full collection that frees garbage, and can be called again", () => {
    let garbage: number[][] | undefined = Array.from({ length: 200 }, () => new Array(10_000).fill(1));
    const before = process.memoryUsage().heapUsed;
    garbage = undefined;
    releaseMemory();
    releaseMemory();
    expect(garbage).toBeUndefined();
    expect(process.memoryUsage().heapUsed).toBeLessThan(before);
  });
});
