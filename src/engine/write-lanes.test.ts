import { describe, expect, it } from "vitest";
import { MemoryTarget, memoryKind, memoryProvider } from "../../test/helpers/memory-provider.ts";
import { WriteLanes } from "./write-lanes.ts";

const target = new MemoryTarget();

/** Whether `promise` has settled once pending callbacks have run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => {
    done = true;
  });
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}
const limited = { ...memoryKind("binding"), writeConcurrency: Number.POSITIVE_INFINITY };

describe("WriteLanes", () => {
  it("gives the kinds of a target one lane, admitting twice the write limit", async () => {
    const lanes = new WriteLanes([memoryProvider(target, "lab", [memoryKind("a"), memoryKind("b")])], 3);
    const lane = lanes.laneFor("lab", "a");
    expect(lanes.laneFor("lab", "b")).toBe(lane);
    for (let i = 0; i < 3; i++) await lane.writes.acquire();
    for (let i = 0; i < 6; i++) await lane.admission.acquire();
    const fourthWrite = lane.writes.acquire();
    const seventhAction = lane.admission.acquire();
    expect(await settled(fourthWrite)).toBe(false);
    expect(await settled(seventhAction)).toBe(false);
    lane.writes.release();
    lane.admission.release();
    expect(await settled(fourthWrite)).toBe(true);
    expect(await settled(seventhAction)).toBe(true);
  });

  it("keeps targets apart, and gives a kind with its own limit its own lane", () => {
    const lanes = new WriteLanes(
      [
        memoryProvider(target, "lab", [memoryKind("a"), limited]),
        memoryProvider(target, "other", [memoryKind("a")]),
      ],
      3,
    );
    expect(lanes.laneFor("other", "a")).not.toBe(lanes.laneFor("lab", "a"));
    expect(lanes.laneFor("lab", "binding")).not.toBe(lanes.laneFor("lab", "a"));
    expect(lanes.laneFor("lab", "binding")).toBe(lanes.laneFor("lab", "binding"));
  });

  it("takes a provider's own limit over the default", async () => {
    const local = { ...memoryProvider(target, "files", [memoryKind("file")]), writeConcurrency: 1 };
    const lane = new WriteLanes([local], 8).laneFor("files", "file");
    await lane.writes.acquire();
    expect(await settled(lane.writes.acquire())).toBe(false);
  });

  it("admits everything on an unlimited lane", async () => {
    const lane = new WriteLanes([memoryProvider(target, "lab", [limited])], 2).laneFor("lab", "binding");
    for (let i = 0; i < 500; i++) {
      await lane.writes.acquire();
      await lane.admission.acquire();
    }
    expect(lane.writes.active).toBe(500);
  });
});
