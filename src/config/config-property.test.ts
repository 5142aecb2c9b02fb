import { readFileSync } from "node:fs";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { redactor } from "../secrets/redactor.ts";
import { ConfigError } from "./config-error.ts";
import { parseConfig } from "./load.ts";

afterEach(() => redactor.clear());

/** Either a loaded config or a ConfigError whose every issue has a real position; nothing else. */
function loadOrIssues(text: string) {
  try {
    return { config: parseConfig(text, "lab.yaml", { checkFiles: false }).config, issues: [] };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { config: undefined, issues: error.issues };
  }
}

describe("the loader under random input", () => {
  it("never crashes on a random service name: it validates or reports an issue with a line number", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: "grapheme" }), fc.string({ unit: "binary" })),
        (serviceName) => {
          const text = stringify({
            apiVersion: "autopilot/v1",
            domain: "lab.example.com",
            services: [{ name: serviceName, group: "Apps" }],
          });
          const { config, issues } = loadOrIssues(text);
          if (config) {
            expect(config.services[0]?.name).toBe(serviceName);
            expect(config.services[0]?.slug).toMatch(/^[a-z0-9]([a-z0-9-]{0,48}[a-z0-9])?$/);
          } else {
            expect(issues.length).toBeGreaterThan(0);
            for (const issue of issues) {
              expect(issue.line).toBeGreaterThanOrEqual(1);
              expect(issue.column).toBeGreaterThanOrEqual(1);
              expect(issue.rule).toMatch(/^[a-z-]+$/);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("never crashes on random text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const { config, issues } = loadOrIssues(`apiVersion: autopilot/v1\n${text}`);
        expect(config !== undefined || issues.every((issue) => issue.line >= 1)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

/** Paths (dotted, list indices as numbers) where a `${...}` reference is documented to be allowed. */
const REFERENCE_FIELDS = [
  /^targets\.\w+\.token$/,
  /^targets\.grafana\.basicAuth\.password$/,
  /^services\.\d+\.widget\.(?!type$|url$)\w+$/,
  /^monitoring\.datasources\.\d+\.secureJsonData\.\w+$/,
  /^monitoring\.alerts\.contactPoints\.\d+\.settings\.\w+$/,
  /^daemon\.token$/,
  /^alerts\.\d+\.(url|token)$/,
  /^secrets\.vault\.auth\.(token|roleId|secretId)$/,
];

function stringLeaves(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value === "string") return [path];
  if (Array.isArray(value)) return value.flatMap((item, index) => stringLeaves(item, [...path, index]));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([key, item]) => stringLeaves(item, [...path, key]));
  }
  return [];
}

function withValueAt(root: unknown, path: (string | number)[], value: string): unknown {
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path.at(-1) as string | number] = value;
  return copy;
}

describe("secret references outside credential fields", () => {
  const example = parse(readFileSync("examples/homelab.yaml", "utf8")) as Record<string, unknown>;
  const vaultExample = {
    ...example,
    secrets: {
      store: "vault",
      vault: {
        address: "https://vault.lab.example.com",
        auth: { method: "approle", roleId: "r", secretId: "${secret:s}" },
      },
    },
  };
  const leaves = [...stringLeaves(example), ...stringLeaves(vaultExample.secrets, ["secrets"])].filter(
    (path) => path[0] !== "environments",
  );

  it("are accepted exactly where documented and refused at every other string", () => {
    expect(leaves.length).toBeGreaterThan(100);
    const wrong: string[] = [];
    for (const path of leaves) {
      const dotted = path.join(".");
      const base = path[0] === "secrets" ? vaultExample : example;
      const { issues } = loadOrIssues(stringify(withValueAt(base, path, "${secret:probe}")));
      const refusedHere = issues.some((issue) => issue.path.join(".") === dotted);
      const allowed = REFERENCE_FIELDS.some((pattern) => pattern.test(dotted));
      if (allowed === refusedHere || (allowed && issues.length > 0))
        wrong.push(`${dotted}: ${allowed ? "refused" : "accepted"}`);
    }
    expect(wrong).toEqual([]);
  });
});
