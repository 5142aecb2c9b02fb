import { describe, expect, it } from "vitest";
import { RestartBudget } from "./restart-budget.ts";

describe("RestartBudget", () => {
  it("doubles the backoff per restart in the window and is spent at the limit", () => {
    let now = 0;
    const budget = new RestartBudget({ maxRestarts: 3, windowMs: 60_000, backoffMs: 1000 }, () => now);
    expect(budget.nextDelayMs("a")).toBe(1000);
    budget.record("a");
    expect(budget.nextDelayMs("a")).toBe(2000);
    budget.record("a");
    budget.record("a");
    expect(budget.spent("a")).toBe(true);
    expect(budget.spent("b")).toBe(false);
    now = 61_000;
    expect(budget.used("a")).toBe(0);
    expect(budget.nextDelayMs("a")).toBe(1000);
    budget.record("a");
    budget.forget("a");
    expect(budget.used("a")).toBe(0);
  });
});
