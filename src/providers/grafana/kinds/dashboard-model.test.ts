import { describe, expect, it } from "vitest";
import { modelChanges, normaliseDashboard } from "./dashboard-model.ts";

describe("dashboard models compared in normalised form", () => {
  it("ignores what Grafana manages: id, uid, version, iteration, schemaVersion and null top-level values", () => {
    const authored = { id: null, uid: "x", title: "NAS", version: 3, schemaVersion: 36, panels: [] };
    const stored = {
      id: 12,
      uid: "x",
      title: "NAS",
      version: 9,
      iteration: 1700000000,
      schemaVersion: 42,
      panels: [],
    };
    expect(normaliseDashboard(authored)).toEqual(normaliseDashboard(stored));
    expect(modelChanges("model", normaliseDashboard(authored), normaliseDashboard(stored))).toEqual([]);
  });

  it("names the changed field inside panels, and keys only one side has", () => {
    const want = {
      title: "NAS",
      panels: [
        { id: 1, title: "Free" },
        { id: 2, title: "Used" },
      ],
    };
    const have = {
      title: "NAS",
      panels: [
        { id: 1, title: "Free" },
        { id: 2, title: "Use" },
      ],
      links: [],
    };
    expect(modelChanges("model", want, have)).toEqual([
      { path: "model.links", before: [], after: undefined },
      { path: "model.panels[1].title", before: "Use", after: "Used" },
    ]);
  });

  it("reports a whole array when its length changed, summarised when long", () => {
    const panel = { id: 1, title: "p".repeat(200) };
    const changes = modelChanges("model", { panels: [panel, panel] }, { panels: [panel] });
    expect(changes).toEqual([{ path: "model.panels", before: "(1 items)", after: "(2 items)" }]);
  });
});
