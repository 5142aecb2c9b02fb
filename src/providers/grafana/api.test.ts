import { describe, expect, it } from "vitest";
import { z } from "zod";
import { allPages, mapConcurrently, parsed } from "./api.ts";

describe("Grafana API helpers", () => {
  it("refuse an answer missing a field Autopilot relies on, naming the field and what to do", () => {
    const schema = z.object({ uid: z.string() }).passthrough();
    expect(parsed(schema, "folder", { uid: "a", extra: 1 })).toEqual({ uid: "a", extra: 1 });
    expect(() => parsed(schema, "folder", { title: "x" })).toThrow(
      /grafana returned a folder Autopilot cannot read: uid/,
    );
    expect(() => parsed(schema, "folder", undefined)).toThrow(/\(root\)/);
  });

  it("read pages until a short one, one request per page", async () => {
    const pages: number[] = [];
    const items = await allPages(2, async (page) => {
      pages.push(page);
      return page < 3 ? [page, page] : [page];
    });
    expect(items).toEqual([1, 1, 2, 2, 3]);
    expect(pages).toEqual([1, 2, 3]);
  });

  it("stop a pagination that never ends", async () => {
    await expect(allPages(1, async () => [1])).rejects.toThrow(/did not end/);
  });

  it("map with bounded concurrency and keep the order", async () => {
    let inFlight = 0;
    let most = 0;
    const result = await mapConcurrently([5, 1, 4, 2, 3], 2, async (n) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, n));
      inFlight -= 1;
      return n * 10;
    });
    expect(result).toEqual([50, 10, 40, 20, 30]);
    expect(most).toBe(2);
  });
});
