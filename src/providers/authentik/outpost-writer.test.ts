import { describe, expect, it } from "vitest";
import { OutpostWriter } from "./outpost-writer.ts";

function fakeOutpost(initial: number[]) {
  const outpost = { uuid: "o1", providers: [...initial], reads: 0, writes: 0 };
  return {
    outpost,
    access: {
      read: async () => {
        outpost.reads += 1;
        await new Promise((resolve) => setTimeout(resolve, 5));
        return { uuid: outpost.uuid, providers: [...outpost.providers] };
      },
      write: async (_uuid: string, providers: number[]) => {
        outpost.writes += 1;
        await new Promise((resolve) => setTimeout(resolve, 5));
        outpost.providers = providers;
      },
    },
  };
}

describe("OutpostWriter", () => {
  it("loses no binding when many are added at once, keeps foreign ones, and batches the writes", async () => {
    const { outpost, access } = fakeOutpost([999]);
    const writer = new OutpostWriter(access);
    await Promise.all(Array.from({ length: 50 }, (_, i) => writer.add(i + 1)));
    expect([...outpost.providers].sort((a, b) => a - b)).toEqual([
      ...Array.from({ length: 50 }, (_, i) => i + 1),
      999,
    ]);
    expect(outpost.writes).toBeLessThanOrEqual(2);
  });

  it("removes and replaces, and skips the write when nothing changes", async () => {
    const { outpost, access } = fakeOutpost([1, 2, 3]);
    const writer = new OutpostWriter(access);
    await Promise.all([writer.remove(2), writer.replace(3, 4)]);
    expect(outpost.providers.sort()).toEqual([1, 4]);
    const writes = outpost.writes;
    await writer.add(1);
    expect(outpost.writes).toBe(writes);
  });

  it("fails every change of a round whose write failed, and keeps working after", async () => {
    const { outpost, access } = fakeOutpost([]);
    let fail = true;
    const writer = new OutpostWriter({
      read: access.read,
      write: async (uuid, providers) => {
        if (fail) throw new Error("outpost write failed");
        await access.write(uuid, providers);
      },
    });
    const results = await Promise.allSettled([writer.add(1), writer.add(2)]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    fail = false;
    await writer.add(3);
    expect(outpost.providers).toEqual([3]);
  });
});
