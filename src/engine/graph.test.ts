import { describe, expect, it } from "vitest";
import { DependencyCycleError, DependencyGraph } from "./graph.ts";

describe("DependencyGraph", () => {
  it("orders dependencies before dependents, in independent layers", () => {
    const graph = new DependencyGraph()
      .addDependency("app", "provider")
      .addDependency("provider", "flow")
      .addDependency("binding", "provider")
      .addNode("group");
    expect(graph.layers()).toEqual([["flow", "group"], ["provider"], ["app", "binding"]]);
    expect(graph.order()).toEqual(["flow", "group", "provider", "app", "binding"]);
    expect(graph.depth()).toBe(3);
  });

  it("lists dependencies, dependents and edges", () => {
    const graph = new DependencyGraph().addDependency("a", "b").addDependency("c", "b");
    expect(graph.dependenciesOf("a")).toEqual(["b"]);
    expect(graph.dependentsOf("b").sort()).toEqual(["a", "c"]);
    expect(graph.edges()).toEqual([
      { from: "a", to: "b" },
      { from: "c", to: "b" },
    ]);
    expect(graph.has("b")).toBe(true);
    expect(graph.has("z")).toBe(false);
  });

  it("names the nodes of a cycle", () => {
    const graph = new DependencyGraph()
      .addDependency("a", "b")
      .addDependency("b", "c")
      .addDependency("c", "a");
    expect(graph.findCycles()).toEqual([["a", "b", "c", "a"]]);
    expect(() => graph.layers()).toThrow(DependencyCycleError);
    expect(() => graph.layers()).toThrow("dependency cycle: a → b → c → a");
  });

  it("finds a self-dependency", () => {
    expect(new DependencyGraph().addDependency("x", "x").findCycles()).toEqual([["x", "x"]]);
  });

  it("handles an empty graph", () => {
    expect(new DependencyGraph().layers()).toEqual([]);
  });
});
