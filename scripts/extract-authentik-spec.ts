import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  extractSubset,
  readVendorSpec,
  SUBSET_FILE,
  vendorSpecPath,
} from "../src/sandbox/authentik/spec-subset.ts";

/**
 * Regenerates src/sandbox/authentik/openapi-subset.json from the vendor's Authentik spec
 * (../shared/specs/authentik/schema.yml, or $AUTOPILOT_SHARED_DIR/specs/authentik/schema.yml).
 * Run after changing SERVED_PATHS: `node scripts/extract-authentik-spec.ts [--out FILE]`.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const source = vendorSpecPath(repoRoot);
const spec = readVendorSpec(source);
if (!spec) {
  console.error(`vendor spec not found at ${source}; set AUTOPILOT_SHARED_DIR to the shared folder`);
  process.exit(1);
}
const subset = extractSubset(spec);
const outIndex = process.argv.indexOf("--out");
const target = outIndex > 0 ? path.resolve(process.argv[outIndex + 1] ?? "") : fileURLToPath(SUBSET_FILE);
// Formatted by the project's formatter (through stdin, as the committed file's path) so
// `biome check` stays clean; the staleness test compares parsed JSON, so layout never matters.
const formatted = execFileSync(
  path.join(repoRoot, "node_modules/.bin/biome"),
  ["format", `--stdin-file-path=${fileURLToPath(SUBSET_FILE)}`],
  {
    cwd: repoRoot,
    input: `${JSON.stringify(subset, null, 2)}\n`,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  },
);
writeFileSync(target, formatted);
console.error(
  `wrote ${path.relative(repoRoot, target)}: ${Object.keys(subset.paths).length} paths, ` +
    `${Object.keys(subset.components.schemas ?? {}).length} schemas`,
);
