import { describe, expect, it } from "vitest";
import { currentCorrelation, newId, withAction, withCorrelation } from "./context.ts";

describe("correlation context", () => {
  it("is absent outside any command", () => {
    expect(currentCorrelation()).toBeUndefined();
  });

  it("follows async work and nests actions under the command's id", async () => {
    await withCorrelation(async () => {
      const outer = currentCorrelation();
      expect(outer?.correlationId).toBe("cmd-1");
      await new Promise((resolve) => setTimeout(resolve, 1));
      await withAction(async () => {
        await Promise.resolve();
        expect(currentCorrelation()).toEqual({ correlationId: "cmd-1", actionId: "act-1" });
      }, "act-1");
      expect(currentCorrelation()).toEqual({ correlationId: "cmd-1" });
    }, "cmd-1");
  });

  it("gives an action its own correlation when none is active", () => {
    withAction(() => {
      expect(currentCorrelation()?.correlationId).toMatch(/^[0-9a-f]{16}$/);
    });
  });

  it("makes distinct ids", () => {
    expect(newId()).not.toBe(newId());
    expect(newId()).toMatch(/^[0-9a-f]{16}$/);
  });
});
