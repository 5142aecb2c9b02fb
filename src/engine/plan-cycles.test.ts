import { describe, expect, it } from "vitest";
import { MemoryTarget, memoryKind, memoryProvider } from "../../test/helpers/memory-provider.ts";
import { planActions } from "./plan.ts";
import type { DesiredResource } from "./resource.ts";

const ref = (key: string) => ({ target: "lab", kind: "group", key });
const group = (key: string, dependsOn: string[]): DesiredResource => ({
  ref: ref(key),
  spec: { key },
  dependsOn: dependsOn.map(ref),
});

function plan(desired: DesiredResource[]) {
  const target = new MemoryTarget();
  return planActions({
    desired,
    providers: [memoryProvider(target, "lab", [memoryKind("group")])],
    observation: { objects: new Map(), unavailable: new Map() },
    ownership: [],
    digests: new Map(),
    lastApplied: new Map(),
    knownSecrets: new Map(),
    digest: (value) => JSON.stringify(value),
  });
}

describe("plan ordering", () => {
  it("refuses a plan whose resources depend on each other in a circle, naming the circle", () => {
    expect(() => plan([group("a", ["b"]), group("b", ["c"]), group("c", ["a"])])).toThrow(
      "dependency cycle between desired resources: dependency cycle: lab/group/a → lab/group/b → lab/group/c → lab/group/a",
    );
  });

  it("accepts a chain, each action after what it depends on", () => {
    const actions = plan([group("a", ["b"]), group("b", []), group("c", ["a", "b"])]).actions;
    expect(Object.fromEntries(actions.map((action) => [action.ref.key, action.dependsOn]))).toEqual({
      a: ["lab/group/b"],
      b: [],
      c: ["lab/group/a", "lab/group/b"],
    });
  });
});
