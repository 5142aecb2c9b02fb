import { describe, expect, it } from "vitest";
import type { DiscoveredContainer } from "../discovery/container.ts";
import { servicesFromContainers } from "../discovery/discover.ts";
import { buildCatalogue } from "./catalogue.ts";
import { dependencyMap } from "./dependency-map.ts";
import { toDot, toJson, toMermaid, toText } from "./dependency-render.ts";

function container(name: string, labels: Record<string, string>): DiscoveredContainer {
  return { id: `id-${name}`, name, endpoint: "unix:///d.sock", image: "busybox", state: "running", labels };
}

function mapOf(...containers: DiscoveredContainer[]) {
  const discovered = { ...servicesFromContainers(containers, { autoCredentials: new Set() }), failures: [] };
  return dependencyMap(buildCatalogue([], discovered));
}

const compose = (service: string, extra: Record<string, string> = {}) => ({
  "com.docker.compose.project": "media",
  "com.docker.compose.service": service,
  ...extra,
});

describe("the dependency map", () => {
  const map = mapOf(
    container("media-sonarr-1", {
      "homepage.group": "Media",
      "homepage.name": "Sonarr",
      "autopilot.depends_on": "Prowlarr, ghost",
      ...compose("sonarr", { "com.docker.compose.depends_on": "db:service_healthy:false" }),
    }),
    container("media-prowlarr-1", {
      "homepage.group": "Media",
      "homepage.name": "Prowlarr",
      ...compose("prowlarr"),
    }),
    container("media-db-1", compose("db")),
  );

  it("links services by name, Compose siblings by service name, and shows unknown names", () => {
    expect(map.edges).toEqual([
      { from: "sonarr", to: "prowlarr" },
      { from: "sonarr", to: "unknown:ghost" },
      { from: "sonarr", to: "container:media-db-1" },
    ]);
    expect(map.nodes.map((n) => [n.id, n.kind])).toEqual([
      ["prowlarr", "service"],
      ["sonarr", "service"],
      ["unknown:ghost", "unknown"],
      ["container:media-db-1", "container"],
    ]);
    expect(map.cycles).toEqual([]);
    expect(toJson(map).order).toEqual(["container:media-db-1", "prowlarr", "unknown:ghost", "sonarr"]);
  });

  it("renders DOT, Mermaid and text", () => {
    expect(toDot(map)).toContain('"sonarr" -> "container:media-db-1";');
    expect(toDot(map)).toContain('"sonarr" [label="Sonarr\\nMedia"];');
    expect(toMermaid(map)).toMatch(/^flowchart LR\n/);
    expect(toMermaid(map)).toContain('n1["Sonarr<br/>Media"]');
    expect(toMermaid(map)).toContain("n1 --> n0");
    expect(toText(map)).toContain("Sonarr → Prowlarr, ghost (unknown), media-db-1 (container)");
  });

  it("escapes names so they cannot break out of a DOT or Mermaid label", () => {
    const odd = mapOf(
      container("a", { "homepage.group": "G", "homepage.name": "A", "autopilot.depends_on": 'x"y' }),
    );
    // the name rule refuses the quote, so the service is refused and the map is empty
    expect(odd.nodes).toEqual([]);
    const tricky = mapOf(container("b", { "homepage.group": "G&H", "homepage.name": "B (test)" }));
    expect(toMermaid(tricky)).toContain('"B (test)<br/>G#38;H"');
    expect(toDot(tricky)).toContain('label="B (test)\\nG&H"');
  });

  it("reports a cycle with the services that form it", () => {
    const cyclic = mapOf(
      container("a", { "homepage.group": "G", "homepage.name": "A", "autopilot.depends_on": "B" }),
      container("b", { "homepage.group": "G", "homepage.name": "B", "autopilot.depends_on": "A" }),
    );
    expect(cyclic.cycles).toEqual([["a", "b", "a"]]);
    expect(toJson(cyclic).order).toBeNull();
  });
});
