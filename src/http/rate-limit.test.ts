import { describe, expect, it } from "vitest";
import { TokenBucket } from "./rate-limit.ts";

function fakeClock() {
  const clock = {
    time: 0,
    sleeps: [] as number[],
    now: () => clock.time,
    sleep: async (ms: number) => {
      clock.sleeps.push(ms);
      clock.time += ms;
    },
  };
  return clock;
}

describe("TokenBucket", () => {
  it("lets a burst through at once, then spaces requests at the rate", async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket({ perSecond: 10, burst: 3 }, clock);
    const grantedAt: number[] = [];
    await Promise.all(Array.from({ length: 6 }, () => bucket.take().then(() => grantedAt.push(clock.time))));
    expect(grantedAt).toEqual([0, 0, 0, 100, 200, 300]);
  });

  it("refills while idle, but never beyond the burst", async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket({ perSecond: 10, burst: 2 }, clock);
    await bucket.take();
    await bucket.take();
    clock.time += 10_000;
    const start = clock.time;
    for (let i = 0; i < 3; i++) await bucket.take();
    expect(clock.time - start).toBe(100);
  });

  it("takes without waiting when a token is there, and refuses when none is", () => {
    const clock = fakeClock();
    const bucket = new TokenBucket({ perSecond: 1, burst: 2 }, clock);
    expect([bucket.tryTake(), bucket.tryTake(), bucket.tryTake()]).toEqual([true, true, false]);
    clock.time += 1000;
    expect(bucket.tryTake()).toBe(true);
    expect(clock.sleeps).toEqual([]);
  });

  it("refuses a rate that would never grant a token", () => {
    expect(() => new TokenBucket({ perSecond: 0, burst: 1 }, fakeClock())).toThrow(RangeError);
    expect(() => new TokenBucket({ perSecond: 5, burst: 0 }, fakeClock())).toThrow(RangeError);
  });
});
