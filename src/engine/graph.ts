/**
 * A directed dependency graph over string ids: `a` depends on `b` means `b` must be done first.
 * Used for the order of actions in an apply and for `autopilot graph`. Cycles are reported with
 * the ids that form them, because "cycle detected" alone sends the user hunting.
 */
export class DependencyGraph {
  readonly #dependencies = new Map<string, Set<string>>();

  addNode(id: string): this {
    if (!this.#dependencies.has(id)) this.#dependencies.set(id, new Set());
    return this;
  }

  /** `from` depends on `to`. Both nodes are added if new. */
  addDependency(from: string, to: string): this {
    this.addNode(from).addNode(to);
    this.#dependencies.get(from)?.add(to);
    return this;
  }

  has(id: string): boolean {
    return this.#dependencies.has(id);
  }

  nodes(): string[] {
    return [...this.#dependencies.keys()];
  }

  dependenciesOf(id: string): string[] {
    return [...(this.#dependencies.get(id) ?? [])];
  }

  dependentsOf(id: string): string[] {
    return this.nodes().filter((node) => this.#dependencies.get(node)?.has(id));
  }

  edges(): { from: string; to: string }[] {
    return this.nodes().flatMap((from) => this.dependenciesOf(from).map((to) => ({ from, to })));
  }

  /** Every cycle's node ids, in order, or [] when the graph is acyclic. */
  findCycles(): string[][] {
    const cycles: string[][] = [];
    const state = new Map<string, "visiting" | "done">();
    const stack: string[] = [];
    const visit = (id: string): void => {
      state.set(id, "visiting");
      stack.push(id);
      for (const next of [...(this.#dependencies.get(id) ?? [])].sort()) {
        const seen = state.get(next);
        if (seen === "visiting") cycles.push([...stack.slice(stack.indexOf(next)), next]);
        else if (seen === undefined) visit(next);
      }
      stack.pop();
      state.set(id, "done");
    };
    for (const id of [...this.#dependencies.keys()].sort()) if (!state.has(id)) visit(id);
    return cycles;
  }

  /**
   * Nodes in layers: every node comes after all its dependencies; nodes of one layer are
   * independent of each other. Throws when there is a cycle.
   */
  layers(): string[][] {
    const cycles = this.findCycles();
    if (cycles.length > 0) throw new DependencyCycleError(cycles);
    const remaining = new Map([...this.#dependencies].map(([id, deps]) => [id, new Set(deps)]));
    const layers: string[][] = [];
    while (remaining.size > 0) {
      const ready = [...remaining]
        .filter(([, deps]) => deps.size === 0)
        .map(([id]) => id)
        .sort();
      layers.push(ready);
      for (const id of ready) remaining.delete(id);
      for (const deps of remaining.values()) for (const id of ready) deps.delete(id);
    }
    return layers;
  }

  /** A flat order with dependencies first. */
  order(): string[] {
    return this.layers().flat();
  }

  /** Length (in nodes) of the longest dependency chain: the critical path of an apply. */
  depth(): number {
    return this.layers().length;
  }
}

export class DependencyCycleError extends Error {
  readonly cycles: string[][];

  constructor(cycles: string[][]) {
    super(`dependency cycle: ${cycles.map((cycle) => cycle.join(" → ")).join("; ")}`);
    this.name = "DependencyCycleError";
    this.cycles = cycles;
  }
}
