import { describe, expect, it } from "vitest";
import { FaultInjector, faultSettingsSchema } from "./faults.ts";

describe("FaultInjector", () => {
  it("injects nothing by default", () => {
    expect(new FaultInjector().decide()).toEqual({ kind: "none" });
  });

  it("checks faults in order: reset, throttle, error, lost response", () => {
    const always = new FaultInjector({ random: () => 0 });
    always.set({ resetRate: 1, throttleRate: 1, errorRate: 1, lostResponseRate: 1 });
    expect(always.decide().kind).toBe("reset");
    always.set({ throttleRate: 1, errorRate: 1, retryAfterSeconds: 3 });
    expect(always.decide()).toEqual({ kind: "throttle", retryAfterSeconds: 3 });
    always.set({ errorRate: 1, errorStatus: 502 });
    expect(always.decide()).toEqual({ kind: "error", status: 502 });
    always.set({ lostResponseRate: 0.5 });
    expect(always.decide()).toEqual({ kind: "lose-response" });
  });

  it("applies a rate as a probability", () => {
    const sometimes = new FaultInjector({ random: () => 0.7 });
    sometimes.set({ errorRate: 0.5 });
    expect(sometimes.decide().kind).toBe("none");
    sometimes.set({ errorRate: 0.8 });
    expect(sometimes.decide().kind).toBe("error");
  });

  it("goes down until cleared, or for a while", () => {
    let now = 1000;
    const faults = new FaultInjector({ now: () => now });
    faults.set({ down: true });
    expect(faults.decide().kind).toBe("down");
    faults.set({});
    expect(faults.isDown()).toBe(false);
    faults.set({ down: 500, latencyMs: 20 });
    expect(faults.isDown()).toBe(true);
    expect(faults.latencyMs).toBe(20);
    now = 1600;
    expect(faults.isDown()).toBe(false);
    expect(faults.settings).toEqual({ down: 500, latencyMs: 20 });
  });

  it("validates settings strictly", () => {
    expect(faultSettingsSchema.safeParse({ errorRate: 2 }).success).toBe(false);
    expect(faultSettingsSchema.safeParse({ errorrate: 0.1 }).success).toBe(false);
    expect(faultSettingsSchema.safeParse({ down: true, latencyMs: 20 }).success).toBe(true);
  });
});
