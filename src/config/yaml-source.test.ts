import { describe, expect, it } from "vitest";
import { HEADER, issuesOf, positionOf, where } from "./config-probe.ts";

describe("YAML problems", () => {
  it("reports malformed YAML at the parser's line and column", () => {
    expect(where(issuesOf(`${HEADER}services:\n  - name: 'Grafana\n`))).toEqual(["5:1 yaml-syntax"]);
    expect(where(issuesOf(`${HEADER}targets:\n  grafana:\n\turl: x\n`))).toEqual(["5:1 yaml-syntax"]);
  });

  it("reports a duplicate key at its second occurrence", () => {
    const issues = issuesOf(`${HEADER}targets: {}\ndomain: other.example.com\n`);
    expect(where(issues)).toEqual(["4:1 duplicate-key"]);
    expect(where(issuesOf(`${HEADER}1: a\n"1": b\n`))).toEqual(["4:1 duplicate-key"]);
  });

  it("stops an alias bomb at the alias that crosses the limit, without expanding it", () => {
    let bomb = `${HEADER}a: &a [x, x, x, x, x, x, x, x, x, x]\n`;
    let previous = "a";
    for (const name of ["b", "c", "d", "e", "f", "g", "h", "i"]) {
      bomb += `${name}: &${name} [${Array(10).fill(`*${previous}`).join(", ")}]\n`;
      previous = name;
    }
    bomb += "services: *i\n";
    const started = performance.now();
    const issues = issuesOf(bomb);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(issues).toHaveLength(1);
    // b, c and the first seven aliases in d expand to 8997 values; the eighth *c crosses 10000
    const eighth = bomb.indexOf("*c", bomb.indexOf("d: &d")) + 7 * "*c, ".length;
    expect(where(issues)).toEqual([`${positionOf(bomb, "*c", eighth)} alias-bomb`]);
  });

  it("follows ordinary aliases, reporting problems where the anchored text is", () => {
    const text = `${HEADER}services:\n  - &grafana\n    name: Grafana\n    group: Monitoring\n    hrf: https://g.example.com\nalerts: []\n`;
    expect(where(issuesOf(text))).toEqual(["7:5 unknown-key"]);
    const reused = `${HEADER}x-url: &u https://g.example.com\n`;
    expect(where(issuesOf(reused))).toEqual(["3:1 unknown-key"]);
  });

  it("refuses undefined and cyclic aliases", () => {
    expect(where(issuesOf(`${HEADER}services: *nowhere\n`))).toEqual(["3:11 bad-alias"]);
    expect(where(issuesOf(`${HEADER}services: &s [*s]\n`))).toEqual(["3:15 bad-alias"]);
  });

  it("refuses tags outside the core schema and YAML 1.1 documents", () => {
    expect(where(issuesOf(`${HEADER}services: !include other.yaml\n`))).toEqual(["3:11 unknown-tag"]);
    // core-schema tags the parser knows are reported at the tagged value
    expect(issuesOf(`${HEADER}services: !!set {a, b}\n`)).toEqual([
      expect.objectContaining({
        line: 3,
        column: 17,
        rule: "unknown-tag",
        message: "The tag !!set is not supported",
      }),
    ]);
    expect(where(issuesOf(`${HEADER}domain2: !!binary aGVsbG8=\n`))).toEqual(["3:19 unknown-tag"]);
    expect(where(issuesOf(`%YAML 1.1\n---\n${HEADER}`))).toEqual(["1:1 yaml-version"]);
    expect(where(issuesOf(`${HEADER}---\nmore: 1\n`))).toEqual(["3:1 multiple-documents"]);
  });

  it("refuses keys that are not text, and nesting beyond 64 levels", () => {
    expect(where(issuesOf(`${HEADER}? [a, b]\n: 1\n`))).toEqual(["3:3 invalid-key"]);
    expect(where(issuesOf(`${HEADER}~: 1\n`))).toEqual(["3:1 invalid-key"]);
    const deep = `${HEADER}services: ${"[".repeat(70)}${"]".repeat(70)}\n`;
    expect(issuesOf(deep).map((issue) => issue.rule)).toContain("too-deep");
  });

  it("treats a __proto__ key as an unknown key, not as a prototype", () => {
    expect(where(issuesOf(`${HEADER}__proto__: {polluted: true}\n`))).toEqual(["3:1 unknown-key"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
