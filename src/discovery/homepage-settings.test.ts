import { describe, expect, it } from "vitest";
import type { FieldSource } from "../catalog/service.ts";
import type { LabelProblem } from "./homepage-labels.ts";
import { homepageSettings } from "./homepage-settings.ts";

function read(value: Record<string, unknown>) {
  const problems: LabelProblem[] = [];
  const warnings: LabelProblem[] = [];
  const sources: Record<string, FieldSource> = {};
  const settings = homepageSettings(value, (path) => `homepage.${path}`, problems, warnings, sources);
  return { settings, problems, warnings, sources };
}

describe("Homepage tile settings from labels", () => {
  it("reads every known setting as Homepage would", () => {
    const result = read({
      name: "handled elsewhere",
      weight: "-5",
      showStats: "false",
      siteMonitor: "https://x.example.com/health",
      ping: "192.168.1.10",
      statusStyle: "dot",
      target: "_blank",
      id: "card-1",
      proxmoxNode: "pve1",
      proxmoxVMID: "101",
      proxmoxType: "lxc",
    });
    expect(result.problems).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.settings).toEqual({
      weight: -5,
      showStats: false,
      siteMonitor: "https://x.example.com/health",
      ping: "192.168.1.10",
      statusStyle: "dot",
      target: "_blank",
      id: "card-1",
      proxmoxNode: "pve1",
      proxmoxVMID: "101",
      proxmoxType: "lxc",
    });
    expect(result.sources["homepage.weight"]).toEqual({ kind: "label", detail: "homepage.weight" });
  });

  it("reads a weight that is not a number as 0, with a warning, and ignores unknown or docker.yaml settings", () => {
    const result = read({ weight: "heavy", server: "local", container: "x", colour: "red" });
    expect(result.settings).toEqual({ weight: 0 });
    expect(result.warnings.map((w) => [w.label, w.reason])).toEqual([
      ["homepage.weight", "is not a number; Homepage reads it as 0"],
      ["homepage.server", expect.stringContaining("does not use docker.yaml")],
      ["homepage.container", expect.stringContaining("does not use docker.yaml")],
      ["homepage.colour", expect.stringContaining("not a Homepage service setting")],
    ]);
  });

  it.each([
    ["statusStyle", "round", "must be one of dot, basic"],
    ["target", "_new", "must be one of"],
    ["siteMonitor", "javascript:x", "javascript"],
    ["ping", "-rf", "host name"],
    ["id", "1x", "HTML id"],
    ["proxmoxVMID", "abc", "digits"],
    ["showStats", "1", "exactly true or false"],
  ])("refuses %s=%s", (key, value, reason) => {
    expect(read({ [key]: value }).problems).toEqual([
      { label: `homepage.${key}`, reason: expect.stringContaining(reason) },
    ]);
  });

  it("refuses a setting given as nested labels", () => {
    expect(read({ weight: { a: "1" } }).problems[0]?.reason).toContain("one value");
  });
});
