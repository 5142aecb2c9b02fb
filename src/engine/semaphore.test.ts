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

  it("refuses a limit below one", () => {
    expect(() => new Semaphore(0)).toThrow(RangeError);
  });
});
