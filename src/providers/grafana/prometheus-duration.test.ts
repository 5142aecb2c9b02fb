import { describe, expect, it } from "vitest";
import { durationMs, formatDurationMs } from "./prometheus-duration.ts";

describe("alerting durations", () => {
  it("parses what Grafana renders and what people write to the same milliseconds", () => {
    expect(durationMs("60s")).toBe(durationMs("1m"));
    expect(durationMs("1h30m")).toBe(5_400_000);
    expect(durationMs("1w")).toBe(7 * 86_400_000);
    expect(durationMs("")).toBe(0);
    expect(durationMs("0")).toBe(0);
    expect(durationMs("soon")).toBeUndefined();
  });

  it("formats milliseconds the way Prometheus does", () => {
    expect(formatDurationMs(300_000)).toBe("5m");
    expect(formatDurationMs(5_400_500)).toBe("1h30m500ms");
    expect(formatDurationMs(0)).toBe("0s");
  });
});
