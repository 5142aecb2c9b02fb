import { z } from "zod";
import { homelabSchema } from "./schema.ts";

export const JSON_SCHEMA_FILE = "schema/homelab.schema.json";
export const JSON_SCHEMA_ID = "urn:homelab-autopilot:schema:homelab:v1";

/**
 * JSON Schema of homelab.yaml for editors (yaml-language-server) and other tools. Generated in
 * input mode: it describes what a person writes, so keys with defaults are optional. Rules that
 * JSON Schema cannot express (literal credentials, cross-field checks) are enforced only by the
 * loader.
 */
export function homelabJsonSchema(): Record<string, unknown> {
  const { $schema, ...generated } = z.toJSONSchema(homelabSchema, { io: "input", target: "draft-2020-12" });
  return { $schema, $id: JSON_SCHEMA_ID, title: "Homelab Autopilot configuration", ...generated };
}

export function renderJsonSchema(): string {
  return `${JSON.stringify(homelabJsonSchema(), null, 2)}\n`;
}
