import { describe, expect, it } from "vitest";
import { Semaphore } from "./semaphore.ts";

describe("Semaphore", () => {
  it("lets `limit` holders in and queues the rest in order", async () => {
    const semaphore = new Semaphore(2);
    const order: string[] = [];
    await semaphore.acquire();
    await semaphore.acquire();
    const third = semaphore.acquire().then(() => order.push("third"));
    const fourth = semaphore.acquire().then(() => order.push("fourth"));
    expect(semaphore.active).toBe(2);
    semaphore.release();
    await third;
    semaphore.release();
    await fourth;
    expect(order).toEqual(["third", "fourth"]);
    semaphore.release();
    semaphore.release();
    expect(semaphore.active).toBe(0);
  });

  it("admits everyone when the limit is Infinity", async () => {
    const semaphore = new Semaphore(Number.POSITIVE_INFINITY);
    for (let i = 0; i < 1000; i++) await semaphore.acquire();
    expect(semaphore.active).toBe(1000);
  });

  it("refuses a limit below one", () => {
    expect(() => new Semaphore(0)).toThrow(RangeError);
    expect(() => new Semaphore(2.5)).toThrow(RangeError);
  });
});
