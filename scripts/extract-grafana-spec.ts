import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

/**
 * Copies the shared Grafana OpenAPI subset (YAML, in ../shared) into the repository as JSON, so
 * the Grafana simulator validates against it on machines that have no ../shared checkout.
 *   node scripts/extract-grafana-spec.ts           -> rewrites src/sandbox/grafana/openapi.json
 * AUTOPILOT_SHARED_DIR overrides where the shared folder is. A test compares the committed JSON
 * with a fresh rendering, so a stale copy fails CI instead of silently drifting.
 */
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export const GRAFANA_SPEC_JSON_PATH = join(repoRoot, "src/sandbox/grafana/openapi.json");

export function sharedDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.AUTOPILOT_SHARED_DIR ?? join(repoRoot, "..", "shared"));
}

export function grafanaSpecSourcePath(env: NodeJS.ProcessEnv = process.env): string {
  return join(sharedDir(env), "specs/grafana/openapi-subset.yaml");
}

/**
 * The JSON for a YAML text, keys in source order. The committed file is then laid out by Biome
 * (the lint step checks it), so freshness is judged on the parsed content, not on the text.
 */
export function renderGrafanaSpecJson(yamlText: string): string {
  const document: unknown = parse(yamlText);
  if (typeof document !== "object" || document === null || !("openapi" in document)) {
    throw new Error("the Grafana spec subset is not an OpenAPI document");
  }
  return `${JSON.stringify(document, null, 2)}\n`;
}

export function extractGrafanaSpec(env: NodeJS.ProcessEnv = process.env): { from: string; to: string } {
  const from = grafanaSpecSourcePath(env);
  if (!existsSync(from)) {
    throw new Error(
      `${from} not found: check out the shared folder beside the repository or set AUTOPILOT_SHARED_DIR`,
    );
  }
  writeFileSync(GRAFANA_SPEC_JSON_PATH, renderGrafanaSpecJson(readFileSync(from, "utf8")));
  execFileSync(join(repoRoot, "node_modules/.bin/biome"), ["format", "--write", GRAFANA_SPEC_JSON_PATH], {
    stdio: "ignore",
  });
  return { from, to: GRAFANA_SPEC_JSON_PATH };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { from, to } = extractGrafanaSpec();
  console.log(`wrote ${to} from ${from}`);
}
