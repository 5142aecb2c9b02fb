import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CONFIG_REFERENCE_FILE, renderConfigReference, typeLabel } from "./config-reference.ts";
import { duration } from "./duration-field.ts";
import { homelabSchema } from "./schema.ts";
import { defOf } from "./schema-walk.ts";

describe("docs/config-reference.md", () => {
  it("is up to date with src/config (run `npm run schema` when this fails)", () => {
    const committed = readFileSync(CONFIG_REFERENCE_FILE, "utf8");
    expect(
      committed === renderConfigReference(),
      `${CONFIG_REFERENCE_FILE} is stale: run \`npm run schema\``,
    ).toBe(true);
  });

  it("has a row for every top-level key and a section per nested one", () => {
    const text = renderConfigReference();
    for (const key of Object.keys(defOf(homelabSchema).shape ?? {})) {
      expect(text).toContain(`| \`${key}\` |`);
    }
    for (const section of [
      "secrets",
      "targets",
      "services",
      "identity",
      "monitoring",
      "policies",
      "daemon",
      "alerts",
      "environments",
    ]) {
      expect(text).toContain(`\n## ${section}\n`);
    }
  });

  it("shows types, defaults and descriptions from the schema", () => {
    const text = renderConfigReference();
    expect(text).toContain(
      "| `policies.healing.window` | duration |  | `10m` | Window of the restart budget. |",
    );
    expect(text).toContain(
      '| `targets.docker.endpoints` | list of endpoint |  | `["unix:///var/run/docker.sock"]` |',
    );
    expect(text).toContain("| `services[].sso` | oidc \\| proxy \\| none |  | `none` |");
    expect(text).toContain("| `secrets.vault.auth.method` | token \\| approle | yes |");
    expect(text).toContain("| `services[].widget.<option>` | scalar or list |");
    expect(text).toContain("| `targets.grafana.http.maxAttempts` | integer (1–10) |");
    expect(typeLabel(duration)).toBe("duration");
  });
});
