import { describe, expect, it } from "vitest";
import { MemoryTarget, memoryKind, memoryProvider } from "../../test/helpers/memory-provider.ts";
import { KNOWN_AFTER_APPLY } from "./field-diff.ts";
import { planActions } from "./plan.ts";
import { type DesiredResource, generatedSecret, outputOf } from "./resource.ts";

const ref = (kind: string, key: string) => ({ target: "lab", kind, key });

function plan(desired: DesiredResource[], options: { knownSecrets?: Map<string, string> } = {}) {
  const target = new MemoryTarget();
  const existing = target.putByHand("provider", "old", { name: "old" });
  return planActions({
    desired,
    providers: [
      memoryProvider(target, "lab", [
        memoryKind("provider", { sensitiveFields: ["secret"] }),
        memoryKind("app"),
      ]),
    ],
    observation: {
      objects: new Map([["lab/provider", new Map([["old", existing]])]]),
      unavailable: new Map(),
    },
    ownership: [
      {
        ...ref("provider", "old"),
        externalId: String(existing.id),
        origin: "created",
        since: "2026-01-01T00:00:00Z",
      },
    ],
    digests: new Map(),
    lastApplied: new Map(),
    knownSecrets: options.knownSecrets ?? new Map(),
    digest: (value) => JSON.stringify(value),
  });
}

describe("planning a create", () => {
  it("keeps a member named __proto__ as a member of the planned spec, not as its prototype", () => {
    const spec = JSON.parse('{"key":"x","fields":{"__proto__":{"polluted":true},"a":1}}');
    const [action] = plan([{ ref: ref("app", "x"), spec }]).actions.filter((a) => a.ref.key === "x");
    expect(action?.changes.map((change) => [change.path, change.after])).toEqual([
      ["key", "x"],
      ["fields.__proto__.polluted", true],
      ["fields.a", 1],
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("shows what is known now and marks the rest as known after apply, sensitive fields included", () => {
    const actions = plan(
      [
        { ref: ref("provider", "old"), spec: { key: "old", name: "old" } },
        { ref: ref("provider", "new"), spec: { key: "new", secret: generatedSecret("new-secret") } },
        {
          ref: ref("app", "a"),
          spec: {
            key: "a",
            providers: [outputOf(ref("provider", "old"), "id"), outputOf(ref("provider", "new"), "id")],
            token: generatedSecret("known"),
          },
        },
      ],
      { knownSecrets: new Map([["known", "s3cret-value"]]) },
    ).actions;
    const byKey = new Map(actions.map((action) => [action.ref.key, action]));
    expect(byKey.get("new")?.changes).toEqual([
      { path: "key", before: undefined, after: "new" },
      { path: "secret", before: undefined, after: KNOWN_AFTER_APPLY, sensitive: true },
    ]);
    expect(byKey.get("a")?.changes).toEqual([
      { path: "key", before: undefined, after: "a" },
      { path: "providers", before: undefined, after: [1, KNOWN_AFTER_APPLY] },
      { path: "token", before: undefined, after: "s3cret-value" },
    ]);
    expect(byKey.get("a")?.dependsOn).toEqual(["lab/provider/new", "lab/provider/old"]);
  });
});
