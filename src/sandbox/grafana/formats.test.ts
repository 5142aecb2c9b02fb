import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "./durations.ts";
import { SimClock } from "./sim-clock.ts";
import { dashboardUrl, folderUrl, slugify, uidProblem } from "./slug.ts";
import { GrafanaState, shortUid } from "./state.ts";
import { generateTokenKey, isWellFormedTokenKey } from "./token-key.ts";

describe("the formats the Grafana simulator shares with the real server", () => {
  it("parses and re-renders Prometheus durations like model.Duration", () => {
    expect(parseDuration("1h30m")).toBe(5_400_000);
    expect(parseDuration("0")).toBe(0);
    expect(parseDuration("")).toBeUndefined();
    expect(parseDuration("5 minutes")).toBeUndefined();
    expect(formatDuration(0)).toBe("0s");
    expect(formatDuration(60_000)).toBe("1m");
    expect(formatDuration(90 * 60_000)).toBe("1h30m");
    expect(formatDuration(14 * 86_400_000)).toBe("2w");
    expect(formatDuration(90 * 86_400_000)).toBe("90d");
    expect(formatDuration(1500)).toBe("1s500ms");
  });

  it("slugifies titles and builds dashboard and folder URLs", () => {
    expect(slugify("Node Exporter — Überblick!")).toBe("node-exporter-uberblick");
    expect(dashboardUrl("abc", "My Dash")).toBe("/d/abc/my-dash");
    expect(folderUrl("f", "Storage")).toBe("/dashboards/f/f/storage");
    expect(uidProblem("ok_uid-1")).toBeUndefined();
    expect(uidProblem("x".repeat(41))).toBe("uid too long, max 40 characters");
  });

  it("makes glsa_ keys with a CRC32 checksum and rejects a broken one", () => {
    const key = generateTokenKey();
    expect(key).toMatch(/^glsa_[A-Za-z0-9]{32}_[0-9a-f]{8}$/);
    expect(isWellFormedTokenKey(key)).toBe(true);
    expect(isWellFormedTokenKey(key.replace(/_([0-9a-f]{8})$/, "_00000000"))).toBe(key.endsWith("_00000000"));
    expect(isWellFormedTokenKey("glsa_short_0000")).toBe(false);
  });

  it("makes 14-character uids that start with a letter", () => {
    expect(shortUid()).toMatch(/^[a-z][a-z0-9]{13}$/);
  });

  it("moves the clock forward without sleeping", () => {
    const clock = new SimClock(() => Date.UTC(2026, 0, 1));
    clock.advance(90);
    expect(clock.iso()).toBe("2026-01-01T00:01:30Z");
  });

  it("gives tests helpers that fail loudly on unknown objects", () => {
    const state = new GrafanaState({ adminUser: "admin", adminPassword: "x", titleUniqueness: "none" });
    expect(() => state.org(9)).toThrow(/no organisation 9/);
    expect(() => state.makeDatasourceReadOnly("nope")).toThrow(/no datasource/);
    expect(() => state.bumpDashboardVersion("nope")).toThrow(/no dashboard/);
    expect(() => state.revokeToken("glsa_x")).toThrow(/no such token/);
    expect(state.policy().route.receiver).toBe("grafana-default-email");
  });
});
