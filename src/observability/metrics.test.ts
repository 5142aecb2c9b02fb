import { describe, expect, it } from "vitest";
import { counter, gauge, histogram, registry } from "./metrics.ts";

describe("metrics helpers", () => {
  it("register once and hand back the same metric on a second declaration", async () => {
    const a = counter("test_things_total", "things", ["kind"]);
    const b = counter("test_things_total", "things", ["kind"]);
    expect(a).toBe(b);
    a.inc({ kind: "x" });
    expect(await registry.metrics()).toContain('autopilot_test_things_total{kind="x"} 1');
  });

  it("declare gauges and histograms in the shared registry", async () => {
    gauge("test_level", "level", []).set(3);
    histogram("test_seconds", "time", ["op"]).observe({ op: "y" }, 0.02);
    expect(gauge("test_level", "level", [])).toBeDefined();
    expect(histogram("test_seconds", "time", ["op"])).toBeDefined();
    const text = await registry.metrics();
    expect(text).toContain("autopilot_test_level 3");
    expect(text).toContain('autopilot_test_seconds_bucket{le="0.025",op="y"} 1');
  });
});
