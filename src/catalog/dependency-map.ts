import { DependencyGraph } from "../engine/graph.ts";
import type { Catalogue } from "./catalogue.ts";
import type { Service } from "./service.ts";

/**
 * Which service needs which, from `depends_on` in the config, `autopilot.depends_on` and
 * Compose's own `com.docker.compose.depends_on`. A dependency is found by slug or name among the
 * services, then by Compose service name in the same project, then by container name; a
 * container without labels is still a node (postgres rarely has a tile); a name nothing answers
 * to is an "unknown" node, so the map shows the typo instead of hiding it.
 */
export interface MapNode {
  readonly id: string;
  readonly label: string;
  readonly kind: "service" | "container" | "unknown";
  readonly group?: string;
}

export interface MapEdge {
  /** `from` depends on `to`. */
  readonly from: string;
  readonly to: string;
}

export interface DependencyMap {
  readonly nodes: MapNode[];
  readonly edges: MapEdge[];
  /** Each cycle as node ids, first repeated at the end: ["a", "b", "a"]. */
  readonly cycles: string[][];
  readonly graph: DependencyGraph;
}

export function dependencyMap(catalogue: Pick<Catalogue, "services" | "containers">): DependencyMap {
  const graph = new DependencyGraph();
  const nodes = new Map<string, MapNode>();
  const bySlug = new Map<string, Service>();
  const byName = new Map<string, Service>();
  const byContainerId = new Map<string, Service>();
  for (const service of catalogue.services) {
    nodes.set(service.slug, { id: service.slug, label: service.name, kind: "service", group: service.group });
    graph.addNode(service.slug);
    bySlug.set(service.slug, service);
    byName.set(service.name.toLowerCase(), service);
    if (service.container) byContainerId.set(service.container.id, service);
  }
  const nodeForContainer = (id: string, name: string): string => {
    const service = byContainerId.get(id);
    if (service) return service.slug;
    const nodeId = `container:${name}`;
    if (!nodes.has(nodeId)) nodes.set(nodeId, { id: nodeId, label: name, kind: "container" });
    return nodeId;
  };
  const resolve = (from: Service, name: string): string => {
    const service = bySlug.get(name) ?? byName.get(name.toLowerCase());
    if (service) return service.slug;
    const compose = from.container?.compose;
    const sibling =
      compose &&
      catalogue.containers.find(
        (c) =>
          c.endpoint === from.container?.endpoint &&
          c.labels["com.docker.compose.project"] === compose.project &&
          c.labels["com.docker.compose.service"] === name,
      );
    if (sibling) return nodeForContainer(sibling.id, sibling.name);
    const named = catalogue.containers.find((c) => c.name === name);
    if (named) return nodeForContainer(named.id, named.name);
    const nodeId = `unknown:${name}`;
    if (!nodes.has(nodeId)) nodes.set(nodeId, { id: nodeId, label: name, kind: "unknown" });
    return nodeId;
  };
  const edges: MapEdge[] = [];
  for (const service of catalogue.services) {
    for (const name of service.dependsOn) {
      const to = resolve(service, name);
      if (to === service.slug || edges.some((e) => e.from === service.slug && e.to === to)) continue;
      graph.addDependency(service.slug, to);
      edges.push({ from: service.slug, to });
    }
  }
  for (const id of nodes.keys()) graph.addNode(id);
  return { nodes: [...nodes.values()], edges, cycles: graph.findCycles(), graph };
}
