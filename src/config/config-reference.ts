import { z } from "zod";
import { environmentOverlaySchema, homelabSchema } from "./schema.ts";
import { defOf, descriptionOf, fieldInfoOf, innermost, isNever, unwrapChain } from "./schema-walk.ts";

export const CONFIG_REFERENCE_FILE = "docs/config-reference.md";

interface Row {
  key: string;
  type: string;
  required: boolean;
  defaultValue: string;
  description: string;
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");
}

function numberLabel(schema: z.ZodType): string {
  const json = z.toJSONSchema(schema, { io: "input" }) as Record<string, unknown>;
  const label = json.type === "integer" ? "integer" : "number";
  const min = json.minimum ?? (json.exclusiveMinimum !== undefined ? `>${json.exclusiveMinimum}` : undefined);
  const max = json.maximum === Number.MAX_SAFE_INTEGER ? undefined : json.maximum;
  if (min === undefined && max === undefined) return label;
  if (max === undefined) return `${label} (≥${min})`;
  return `${label} (${min ?? ""}–${max})`;
}

export function typeLabel(schema: z.ZodType): string {
  const info = fieldInfoOf(schema);
  if (info) return info.type;
  const inner = innermost(schema);
  const def = defOf(inner);
  switch (def.type) {
    case "object":
      return "mapping";
    case "record":
      return `mapping of ${typeLabel(def.valueType as z.ZodType)}`;
    case "array":
      return `list of ${typeLabel(def.element as z.ZodType)}`;
    case "enum":
      return Object.values(def.entries ?? {}).join(" | ");
    case "literal":
      return (def.values ?? []).map(String).join(" | ");
    case "union":
      return [...new Set((def.options ?? []).map(typeLabel))].join(" or ");
    case "number":
      return numberLabel(inner);
    default:
      return def.type;
  }
}

function defaultOf(schema: z.ZodType): string {
  for (const link of unwrapChain(schema)) {
    const def = defOf(link);
    if (def.type !== "default" && def.type !== "prefault") continue;
    const value = def.defaultValue;
    if (
      value !== null &&
      typeof value === "object" &&
      Object.keys(value).length === 0 &&
      !Array.isArray(value)
    )
      return "";
    return `\`${typeof value === "string" ? value : JSON.stringify(value)}\``;
  }
  return "";
}

function isOptional(schema: z.ZodType): boolean {
  return unwrapChain(schema).some((link) => ["optional", "default", "prefault"].includes(defOf(link).type));
}

/** The object schemas a field's value may be (one, or one per union option). */
function objectsOf(schema: z.ZodType): z.ZodType[] {
  const def = defOf(innermost(schema));
  if (def.type === "object") return [innermost(schema)];
  if (def.type === "union") return (def.options ?? []).flatMap(objectsOf);
  return [];
}

/** For a discriminated union (vault auth), the discriminator key and each option's value of it. */
function discriminatorOf(schema: z.ZodType): { key: string; values: Map<z.ZodType, string> } | undefined {
  const def = defOf(innermost(schema)) as ReturnType<typeof defOf> & { discriminator?: string };
  if (def.type !== "union" || def.discriminator === undefined) return undefined;
  const key = def.discriminator;
  const values = new Map<z.ZodType, string>();
  for (const option of def.options ?? []) {
    const literal = defOf(innermost(defOf(option).shape?.[key] as z.ZodType)).values?.[0];
    values.set(option, String(literal));
  }
  return { key, values };
}

function collectRows(schema: z.ZodType, prefix: string, rows: Row[], stack: Set<z.ZodType>): void {
  const discriminator = discriminatorOf(schema);
  if (discriminator) {
    rows.push({
      key: `${prefix}${discriminator.key}`,
      type: [...discriminator.values.values()].join(" | "),
      required: true,
      defaultValue: "",
      description: "Selects which of the keys below apply.",
    });
  }
  for (const object of objectsOf(schema)) {
    if (stack.has(object)) continue;
    stack.add(object);
    const def = defOf(object);
    const variant = discriminator?.values.get(object);
    for (const [key, field] of Object.entries(def.shape ?? {})) {
      if (key === discriminator?.key) continue;
      const path = `${prefix}${key}`;
      const description = descriptionOf(field) ?? "";
      rows.push({
        key: path,
        type: typeLabel(field),
        required: !isOptional(field),
        defaultValue: defaultOf(field),
        description:
          variant === undefined ? description : `With \`${discriminator?.key}: ${variant}\`: ${description}`,
      });
      const inner = defOf(innermost(field));
      if (inner.type === "array") collectRows(inner.element as z.ZodType, `${path}[].`, rows, stack);
      else if (inner.type !== "record") collectRows(field, `${path}.`, rows, stack);
    }
    if (!isNever(def.catchall) && def.catchall) {
      rows.push({
        key: `${prefix}<option>`,
        type: typeLabel(def.catchall),
        required: false,
        defaultValue: "",
        description: "Any other option of this mapping (see its description above).",
      });
    }
    stack.delete(object);
  }
}

function table(rows: Row[]): string[] {
  return [
    "| Key | Type | Required | Default | Description |",
    "|---|---|---|---|---|",
    ...rows.map(
      (row) =>
        `| \`${cell(row.key)}\` | ${cell(row.type)} | ${row.required ? "yes" : ""} | ${cell(row.defaultValue)} | ${cell(row.description)} |`,
    ),
  ];
}

/** docs/config-reference.md: one table per top-level section, generated from the schema's descriptions. */
export function renderConfigReference(): string {
  const shape = defOf(homelabSchema).shape ?? {};
  const topLevel: Row[] = [];
  const sections: string[] = [];
  for (const [key, field] of Object.entries(shape)) {
    const row: Row = {
      key,
      type: typeLabel(field),
      required: !isOptional(field),
      defaultValue: defaultOf(field),
      description: descriptionOf(field) ?? "",
    };
    topLevel.push(row);
    const rows: Row[] = [];
    const inner = defOf(innermost(field));
    if (inner.type === "array") collectRows(inner.element as z.ZodType, `${key}[].`, rows, new Set());
    else if (inner.type !== "record") collectRows(field, `${key}.`, rows, new Set());
    if (rows.length > 0) sections.push("", `## ${key}`, "", cell(row.description), "", ...table(rows));
  }
  return [
    "# homelab.yaml reference",
    "",
    "<!-- Generated from src/config/schema.ts by scripts/config-reference.ts (npm run schema). Do not edit. -->",
    "",
    "Every mapping is strict: an unknown key is an error. Durations are written like `500ms`, `30s`, `10m`, `2h`, `90d` or `1h30m`.",
    "Fields of type *secret ref* accept only a secret reference (`${secret:NAME}`, `${env:NAME}`, `${file:PATH}`, `${vault:PATH#KEY}`);",
    "references are refused everywhere else except where the type says so. Relative paths are relative to the config file's directory.",
    "",
    "Required means required within its parent mapping, when that mapping is present.",
    "",
    "## Top level",
    "",
    ...table(topLevel),
    ...sections,
    "",
    "## environments",
    "",
    cell(descriptionOf(environmentOverlaySchema) ?? ""),
    "Each key under `environments` is an environment name (lowercase letters, digits and `-`); its value may hold any top-level key",
    "except `apiVersion` and `environments`, with the same types as above. Select one with `--env NAME`; `autopilot validate`",
    "checks the base and every environment.",
    "",
    "```yaml",
    "environments:",
    "  staging:",
    "    domain: staging.lab.example.com",
    "    services:",
    "      - name: Proxmox            # merged with the base service named Proxmox",
    "        href: https://pve.staging.lab.example.com:8006",
    "    targets:",
    "      grafana:",
    "        basicAuth: null          # removes the key",
    "```",
    "",
  ].join("\n");
}
