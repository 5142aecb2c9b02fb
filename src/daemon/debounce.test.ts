import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Debouncer } from "./debounce.ts";

describe("Debouncer", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("runs once after a quiet period with every distinct reason", () => {
    const calls: string[][] = [];
    const debouncer = new Debouncer((reasons) => calls.push(reasons), 100);
    debouncer.trigger("docker:start");
    vi.advanceTimersByTime(50);
    debouncer.trigger("docker:die");
    debouncer.trigger("docker:start");
    vi.advanceTimersByTime(99);
    expect(calls).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(calls).toEqual([["docker:start", "docker:die"]]);
  });

  it("does not wait forever under a constant stream of triggers", () => {
    const calls: string[][] = [];
    const debouncer = new Debouncer((reasons) => calls.push(reasons), 100, 300);
    for (let i = 0; i < 10; i++) {
      debouncer.trigger(`e${i}`);
      vi.advanceTimersByTime(60);
    }
    expect(calls.length).toBeGreaterThanOrEqual(1);
    expect(calls[0]?.length).toBeLessThan(10);
  });

  it("can be flushed now or cancelled", () => {
    const calls: string[][] = [];
    const debouncer = new Debouncer((reasons) => calls.push(reasons), 100);
    debouncer.trigger("a");
    debouncer.flush();
    debouncer.flush();
    debouncer.trigger("b");
    debouncer.cancel();
    vi.advanceTimersByTime(500);
    expect(calls).toEqual([["a"]]);
  });
});
