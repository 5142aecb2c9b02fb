// Writes docs/config-reference.md from the zod schema's descriptions (run: npm run schema).
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CONFIG_REFERENCE_FILE, renderConfigReference } from "../src/config/config-reference.ts";

const target = fileURLToPath(new URL(`../${CONFIG_REFERENCE_FILE}`, import.meta.url));
writeFileSync(target, renderConfigReference());
console.log(`wrote ${CONFIG_REFERENCE_FILE}`);
