import { describe, expect, it } from "vitest";
import { generatedSecret, generatedSecretsIn, outputOf, outputRefsIn } from "./resource.ts";

const provider = { target: "lab", kind: "provider", key: "p" };

describe("placeholders in a spec", () => {
  const spec = {
    name: "x",
    nested: { deeper: [{ pk: outputOf(provider, "pk") }, "text", 3, null] },
    secrets: [generatedSecret("a"), { inner: generatedSecret("b", 32) }],
    own: outputOf({ ...provider, key: "q" }, "name"),
  };

  it("finds every output reference, in arrays and objects alike, in order", () => {
    expect(outputRefsIn(spec).map((output) => `${output.$output.key}.${output.field}`)).toEqual([
      "p.pk",
      "q.name",
    ]);
  });

  it("finds every generated secret with its length", () => {
    expect(generatedSecretsIn(spec)).toEqual([
      { $generatedSecret: "a", length: 64 },
      { $generatedSecret: "b", length: 32 },
    ]);
  });

  it("answers again for the same spec without sharing its arrays with callers", () => {
    const first = generatedSecretsIn(spec);
    first.pop();
    expect(generatedSecretsIn(spec)).toHaveLength(2);
    expect(outputRefsIn(spec)).toHaveLength(2);
    expect(outputRefsIn({ ...spec, own: "plain" })).toHaveLength(1);
  });

  it("finds nothing in plain values", () => {
    expect(outputRefsIn("text")).toEqual([]);
    expect(generatedSecretsIn(null)).toEqual([]);
    expect(generatedSecretsIn({ a: [1, { b: true }] })).toEqual([]);
  });
});
