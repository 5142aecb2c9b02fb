import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { SERVED_PATHS } from "./served-paths.ts";

/**
 * Cuts the vendor's 1.8 MB OpenAPI document down to what the simulator serves: the served path
 * items (every method, unchanged) and every component they reference, directly or through other
 * components. The result is committed as `openapi-subset.json`, so the sandbox works on a
 * machine without `../shared`.
 */
export const openApiDocumentSchema = z
  .object({
    openapi: z.string(),
    info: z.record(z.string(), z.unknown()),
    paths: z.record(z.string(), z.record(z.string(), z.unknown())),
    components: z.record(z.string(), z.record(z.string(), z.unknown())),
  })
  .loose();

export type OpenApiDocument = z.infer<typeof openApiDocumentSchema>;

const COMPONENT_REF = /^#\/components\/([^/]+)\/([^/]+)$/;

export function extractSubset(
  spec: OpenApiDocument,
  paths: readonly string[] = SERVED_PATHS,
): OpenApiDocument {
  const subsetPaths: Record<string, Record<string, unknown>> = {};
  for (const served of paths) {
    const item = spec.paths[served];
    if (!item) throw new Error(`the vendor spec has no path ${served}`);
    subsetPaths[served] = item;
  }

  const wanted = new Map<string, Set<string>>();
  const pending: unknown[] = [subsetPaths];
  while (pending.length > 0) {
    for (const ref of collectRefs(pending.pop())) {
      const match = COMPONENT_REF.exec(ref);
      if (!match) throw new Error(`unsupported $ref ${ref}`);
      const [, section, name] = match as unknown as [string, string, string];
      const names = wanted.get(section) ?? new Set<string>();
      if (names.has(name)) continue;
      const target = spec.components[section]?.[name];
      if (target === undefined) throw new Error(`dangling $ref ${ref}`);
      names.add(name);
      wanted.set(section, names);
      pending.push(target);
    }
  }

  // Keep the vendor's order of sections and names, so regenerating gives the same bytes.
  const components: Record<string, Record<string, unknown>> = {};
  for (const [section, entries] of Object.entries(spec.components)) {
    const names = wanted.get(section);
    if (section === "securitySchemes") {
      components[section] = entries;
      continue;
    }
    if (!names) continue;
    components[section] = Object.fromEntries(Object.entries(entries).filter(([name]) => names.has(name)));
  }

  const { openapi, info } = spec;
  return { openapi, info, paths: subsetPaths, components };
}

function collectRefs(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) {
    for (const item of node) collectRefs(item, found);
  } else if (node !== null && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") found.push(value);
      else collectRefs(value, found);
    }
  }
  return found;
}

/** Where the shared folder is: AUTOPILOT_SHARED_DIR, else `../shared` beside the repository. */
export function sharedDir(repoRoot: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.AUTOPILOT_SHARED_DIR ?? path.resolve(repoRoot, "../shared");
}

export function vendorSpecPath(repoRoot: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.join(sharedDir(repoRoot, env), "specs/authentik/schema.yml");
}

/** Reads and parses the vendor document; undefined when the shared folder is absent. */
export function readVendorSpec(file: string): OpenApiDocument | undefined {
  if (!existsSync(file)) return undefined;
  const parsed: unknown = parseYaml(readFileSync(file, "utf8"), { maxAliasCount: -1 });
  return openApiDocumentSchema.parse(parsed);
}

export const SUBSET_FILE = new URL("./openapi-subset.json", import.meta.url);

export function readCommittedSubset(): OpenApiDocument {
  return openApiDocumentSchema.parse(JSON.parse(readFileSync(SUBSET_FILE, "utf8")));
}
