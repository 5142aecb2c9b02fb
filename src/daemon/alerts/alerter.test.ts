import { describe, expect, it } from "vitest";
import type { Alert, AlertChannel, Severity } from "./alert.ts";
import { Alerter } from "./alerter.ts";

function recordingChannel(name: string, minSeverity: Severity = "info", fail = false) {
  const sent: Alert[] = [];
  const channel: AlertChannel = {
    name,
    type: "test",
    minSeverity,
    send: async (alert) => {
      if (fail) throw new Error("receiver down");
      sent.push(alert);
    },
    close: async () => {},
  };
  return { channel, sent };
}

const drift = { key: "drift:x", severity: "warning" as const, title: "Drift", message: "x changed" };

describe("Alerter", () => {
  it("notifies once per condition, then once when it resolves", async () => {
    const { channel, sent } = recordingChannel("a");
    const alerter = new Alerter([channel], { now: () => 1_000 });
    await alerter.raise(drift);
    await alerter.raise(drift);
    expect(alerter.isActive("drift:x")).toBe(true);
    await alerter.resolve("drift:x");
    await alerter.resolve("drift:x");
    expect(sent.map((a) => a.status)).toEqual(["firing", "resolved"]);
    expect(sent[1]?.endsAt).toBe(new Date(1_000).toISOString());
    expect(alerter.active()).toEqual([]);
    expect(alerter.history()).toHaveLength(2);
  });

  it("repeats a still-firing alert only after the repeat interval", async () => {
    let now = 0;
    const { channel, sent } = recordingChannel("a");
    const alerter = new Alerter([channel], { now: () => now, repeatAfterMs: 60_000 });
    await alerter.raise(drift);
    now = 30_000;
    await alerter.raise(drift);
    now = 61_000;
    await alerter.raise(drift);
    expect(sent).toHaveLength(2);
  });

  it("honours each channel's minimum severity", async () => {
    const phone = recordingChannel("phone", "critical");
    const log = recordingChannel("log", "info");
    const alerter = new Alerter([phone.channel, log.channel]);
    await alerter.raise(drift);
    await alerter.raise({ ...drift, key: "budget", severity: "critical" });
    expect(phone.sent.map((a) => a.key)).toEqual(["budget"]);
    expect(log.sent).toHaveLength(2);
  });

  it("rate-limits each channel so a flapping lab cannot flood it", async () => {
    const { channel, sent } = recordingChannel("a");
    const alerter = new Alerter([channel], { perMinute: 3, now: () => 0 });
    for (let i = 0; i < 10; i++) await alerter.raise({ ...drift, key: `k${i}` });
    expect(sent).toHaveLength(3);
  });

  it("never throws when a receiver fails", async () => {
    const broken = recordingChannel("broken", "info", true);
    const alerter = new Alerter([broken.channel]);
    await expect(alerter.raise(drift)).resolves.toBeUndefined();
    await alerter.close();
  });
});
