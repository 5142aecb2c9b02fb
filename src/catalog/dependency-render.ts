import type { DependencyMap } from "./dependency-map.ts";

/**
 * The dependency map as Graphviz DOT, Mermaid or plain JSON. DOT and Mermaid are text formats
 * without a serializer here, so every label goes through their own escaping: no name can close
 * a string or start a statement.
 */
export function toDot(map: DependencyMap): string {
  const lines = ["digraph autopilot {", "  rankdir=LR;", "  node [shape=box, style=rounded];"];
  for (const node of map.nodes) {
    const label = node.group ? `${node.label}\n${node.group}` : node.label;
    const style =
      node.kind === "service"
        ? ""
        : node.kind === "container"
          ? ", style=dashed"
          : ", style=dotted, color=red";
    lines.push(`  ${dotString(node.id)} [label=${dotString(label)}${style}];`);
  }
  for (const edge of map.edges) lines.push(`  ${dotString(edge.from)} -> ${dotString(edge.to)};`);
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

function dotString(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}

export function toMermaid(map: DependencyMap): string {
  const ids = new Map(map.nodes.map((node, index) => [node.id, `n${index}`]));
  const lines = ["flowchart LR"];
  for (const node of map.nodes) {
    const label = node.group
      ? `${mermaidText(node.label)}<br/>${mermaidText(node.group)}`
      : mermaidText(node.label);
    const [open, close] =
      node.kind === "service" ? ["[", "]"] : node.kind === "container" ? ["([", "])"] : ["{{", "}}"];
    lines.push(`  ${ids.get(node.id)}${open}"${label}"${close}`);
  }
  for (const edge of map.edges) lines.push(`  ${ids.get(edge.from)} --> ${ids.get(edge.to)}`);
  return `${lines.join("\n")}\n`;
}

/** Mermaid has entity codes for the characters that would end a quoted label. */
function mermaidText(text: string): string {
  return text.replace(/[#&"<>]/g, (character) => `#${character.charCodeAt(0)};`);
}

export function toJson(map: DependencyMap): Record<string, unknown> {
  return {
    nodes: map.nodes,
    edges: map.edges,
    cycles: map.cycles,
    order: map.cycles.length > 0 ? null : map.graph.order(),
  };
}

/** For people: one line per service and what it needs. */
export function toText(map: DependencyMap): string {
  const labelOf = new Map(
    map.nodes.map((node) => [node.id, node.kind === "service" ? node.label : `${node.label} (${node.kind})`]),
  );
  const lines = map.nodes
    .filter((node) => node.kind === "service")
    .map((node) => {
      const needs = map.edges.filter((edge) => edge.from === node.id).map((edge) => labelOf.get(edge.to));
      return `${node.label}${needs.length > 0 ? ` → ${needs.join(", ")}` : ""}`;
    });
  return lines.length > 0 ? lines.join("\n") : "no services";
}
