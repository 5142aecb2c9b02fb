import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { SERVED_PATHS } from "./served-paths.ts";
import {
  extractSubset,
  readCommittedSubset,
  readVendorSpec,
  sharedDir,
  vendorSpecPath,
} from "./spec-subset.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const vendorFile = vendorSpecPath(repoRoot);
const vendor = readVendorSpec(vendorFile);

describe("the committed Authentik spec subset", () => {
  it("is regenerated from the vendor spec whenever ../shared exists (and it must in CI)", (ctx) => {
    if (!vendor) {
      // Without ../shared the committed file is all we have; CI always has it, so never skip there.
      expect(process.env.CI, `vendor spec missing at ${vendorFile} in CI`).not.toBe("true");
      ctx.skip();
      return;
    }
    expect(readCommittedSubset(), "run: node scripts/extract-authentik-spec.ts").toEqual(
      extractSubset(vendor),
    );
  });

  it("is what the extract script writes, byte for byte", (ctx) => {
    if (!vendor) return ctx.skip();
    const dir = mkdtempSync(path.join(os.tmpdir(), "authentik-subset-"));
    try {
      const out = path.join(dir, "subset.json");
      execFileSync(
        process.execPath,
        [path.join(repoRoot, "scripts/extract-authentik-spec.ts"), "--out", out],
        {
          cwd: repoRoot,
          stdio: "pipe",
        },
      );
      const committed = readFileSync(new URL("./openapi-subset.json", import.meta.url), "utf8");
      expect(readFileSync(out, "utf8")).toBe(committed);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("holds every served path and each component it references", () => {
    const subset = readCommittedSubset();
    expect(Object.keys(subset.paths)).toEqual([...SERVED_PATHS]);
    const text = JSON.stringify(subset);
    for (const ref of text.match(/#\/components\/[^"]+/g) ?? []) {
      const [, , section, name] = ref.split("/") as [string, string, string, string];
      expect(subset.components[section]?.[name], ref).toBeDefined();
    }
    expect(subset.components.schemas?.OAuth2ProviderRequest).toBeDefined();
    expect(subset.components.schemas?.SAMLProvider).toBeUndefined();
  });

  it("keeps component definitions byte-for-byte as the vendor wrote them", (ctx) => {
    if (!vendor) return ctx.skip();
    const subset = readCommittedSubset();
    for (const [name, schema] of Object.entries(subset.components.schemas ?? {})) {
      expect(schema, name).toEqual(vendor.components.schemas?.[name]);
    }
  });

  it("rejects a path the vendor spec does not have and a dangling reference", () => {
    const spec = {
      openapi: "3.0.3",
      info: {},
      paths: { "/x/": { get: { responses: { 200: { $ref: "#/components/responses/Missing" } } } } },
      components: { responses: {} },
    };
    expect(() => extractSubset(spec, ["/y/"])).toThrow(/no path \/y\//);
    expect(() => extractSubset(spec, ["/x/"])).toThrow(/dangling/);
    const external = { ...spec, paths: { "/x/": { get: { $ref: "other.yml#/x" } } } };
    expect(() => extractSubset(external, ["/x/"])).toThrow(/unsupported/);
  });

  it("finds the shared folder beside the repository unless AUTOPILOT_SHARED_DIR says otherwise", () => {
    expect(sharedDir("/repo/main", {})).toBe("/repo/shared");
    expect(sharedDir("/repo/main", { AUTOPILOT_SHARED_DIR: "/elsewhere" })).toBe("/elsewhere");
    expect(readVendorSpec("/nonexistent/schema.yml")).toBeUndefined();
  });
});
