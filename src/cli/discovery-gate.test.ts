import { describe, expect, it } from "vitest";
import { buildCatalogue } from "../catalog/catalogue.ts";
import { servicesFromContainers } from "../discovery/discover.ts";
import type { Provider } from "../engine/resource-kind.ts";
import { catalogueNotes, gateOnDiscovery } from "./discovery-gate.ts";

const provider: Provider = { target: "homepage", kinds: [], connect: async () => "session" };

describe("planning while discovery is incomplete", () => {
  it("leaves providers alone when every endpoint answered", () => {
    expect(gateOnDiscovery([provider], buildCatalogue([]))[0]).toBe(provider);
  });

  it("makes every target unavailable, naming the endpoint, when one could not be listed", async () => {
    const catalogue = {
      ...buildCatalogue([]),
      failures: [{ endpoint: "tcp://nas:2376", error: new Error("timeout") }],
    };
    const [gated] = gateOnDiscovery([provider], catalogue);
    await expect(gated?.connect()).rejects.toThrow(
      "container discovery is incomplete: tcp://nas:2376 (timeout)",
    );
  });

  it("lists refusals, duplicates and warnings as one line each", () => {
    const labels = { "homepage.group": "G", "homepage.name": "Same" };
    const container = (name: string, extra: Record<string, string> = {}) => ({
      id: name,
      name,
      endpoint: "e",
      image: "busybox",
      state: "running",
      labels: { ...labels, ...extra },
    });
    const discovered = servicesFromContainers(
      [
        container("a"),
        container("b"),
        container("c", { "homepage.name": "Bad", "homepage.href": "ftp://x" }),
        container("d", { "homepage.name": "W", "homepage.server": "x" }),
      ],
      { autoCredentials: new Set() },
    );
    const notes = catalogueNotes(buildCatalogue([], { ...discovered, failures: [] }));
    expect(notes).toEqual([
      expect.stringMatching(/^service refused: container c: label homepage.href must be an http/),
      expect.stringMatching(
        /^service left out: container a and container b describe the same service G\/Same/,
      ),
      expect.stringMatching(/^warning: container d: label homepage.server is ignored/),
    ]);
  });
});
