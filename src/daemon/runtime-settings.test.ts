import { describe, expect, it, vi } from "vitest";
import { DAEMON_NODE_FLAGS, RESTARTED_MARKER, restartWithDaemonSettings } from "./runtime-settings.ts";

describe("restartWithDaemonSettings", () => {
  it("restarts with the daemon's Node flags, a small allocator and a marker", () => {
    const restart = vi.fn();
    restartWithDaemonSettings({ env: {}, restart });
    expect(restart).toHaveBeenCalledWith(DAEMON_NODE_FLAGS, {
      MALLOC_ARENA_MAX: "2",
      [RESTARTED_MARKER]: "1",
    });
    expect(DAEMON_NODE_FLAGS).toContain("--max-semi-space-size=2");
  });

  it("keeps the user's own MALLOC_ARENA_MAX", () => {
    const restart = vi.fn();
    restartWithDaemonSettings({ env: { MALLOC_ARENA_MAX: "4" }, restart });
    expect(restart.mock.calls[0]?.[1]).toMatchObject({ MALLOC_ARENA_MAX: "4" });
  });

  it("does not restart a restarted process, when turned off, or when it cannot", () => {
    const restart = vi.fn();
    restartWithDaemonSettings({ env: { [RESTARTED_MARKER]: "1" }, restart });
    restartWithDaemonSettings({ env: { AUTOPILOT_DAEMON_RESTART: "off" }, restart });
    restartWithDaemonSettings({ env: {} });
    expect(restart).not.toHaveBeenCalled();
  });
});
