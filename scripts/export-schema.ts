// Writes schema/homelab.schema.json from the zod schema in src/config (run: npm run schema).
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { JSON_SCHEMA_FILE, renderJsonSchema } from "../src/config/json-schema.ts";

const target = fileURLToPath(new URL(`../${JSON_SCHEMA_FILE}`, import.meta.url));
writeFileSync(target, renderJsonSchema());
console.log(`wrote ${JSON_SCHEMA_FILE}`);
