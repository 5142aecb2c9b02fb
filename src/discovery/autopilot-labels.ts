import { isCredentialKey } from "../config/credential-keys.ts";
import { name, slug } from "../config/fields.ts";
import { closestKey } from "../config/key-suggestion.ts";
import { url } from "../config/url-field.ts";
import { redactor } from "../secrets/redactor.ts";
import { parseSecretReference, SecretReferenceError } from "../secrets/reference.ts";
import type { LabelProblem } from "./homepage-labels.ts";
import { fieldProblem } from "./label-check.ts";

/**
 * Autopilot's own labels (`autopilot.*`): what Homepage's labels cannot express. Each value is
 * checked with the config file's field rules; an unknown `autopilot.` label is refused like an
 * unknown key in the config, because a typo would otherwise silently do nothing.
 */
export interface AutopilotLabels {
  name?: string;
  group?: string;
  slug?: string;
  sso?: "oidc" | "proxy" | "none";
  redirectUris?: string[];
  health?: string;
  dependsOn?: string[];
  update?: "rolling" | "manual";
  monitor?: boolean;
  heal?: boolean;
  alert?: boolean;
  /** `autopilot.widget.<credential>` → `${secret:homepage_…}` */
  widgetSecrets: Record<string, string>;
  /** Field → the label that gave it, for `autopilot discover`. */
  setBy: Map<string, string>;
}

/**
 * A label may only name secrets meant for Homepage widgets. Without this, anyone who can start a
 * container could point a widget at their own server and have Autopilot hand it the Authentik
 * admin token (`${secret:authentik_token}`) or read files (`${file:/etc/shadow}`).
 */
export const LABEL_SECRET_PREFIX = "homepage_";

const PREFIX = "autopilot.";
const BOOLEAN_LABELS = { monitor: "monitor", heal: "heal", alert: "alert" } as const;
const KNOWN = [
  "name",
  "group",
  "slug",
  "sso",
  "sso.redirect",
  "health",
  "depends_on",
  "update",
  "monitor",
  "heal",
  "alert",
  "widget.key",
];

export function parseAutopilotLabels(labels: Readonly<Record<string, string>>): {
  labels: AutopilotLabels;
  problems: LabelProblem[];
} {
  const result: AutopilotLabels = { widgetSecrets: {}, setBy: new Map() };
  const problems: LabelProblem[] = [];
  const refuse = (label: string, reason: string) => problems.push({ label, reason });
  for (const [label, value] of Object.entries(labels)) {
    if (!label.startsWith(PREFIX)) continue;
    const key = label.slice(PREFIX.length);
    const field = (schema: Parameters<typeof fieldProblem>[0], target: keyof AutopilotLabels) => {
      const problem = fieldProblem(schema, value);
      if (problem) return refuse(label, problem);
      (result as unknown as Record<string, unknown>)[target] = value;
      result.setBy.set(target, label);
    };
    if (key === "name" || key === "group") field(name, key);
    else if (key === "slug") field(slug, "slug");
    else if (key === "health") field(url, "health");
    else if (key === "sso" || key === "update") {
      const allowed = key === "sso" ? ["oidc", "proxy", "none"] : ["rolling", "manual"];
      if (!allowed.includes(value)) refuse(label, `must be one of ${allowed.join(", ")}`);
      else {
        result[key] = value as never;
        result.setBy.set(key, label);
      }
    } else if (Object.hasOwn(BOOLEAN_LABELS, key)) {
      if (value !== "true" && value !== "false") refuse(label, "must be true or false");
      else {
        result[key as keyof typeof BOOLEAN_LABELS] = value === "true";
        result.setBy.set(key, label);
      }
    } else if (key === "sso.redirect") {
      const uris = listOf(value);
      const problem = uris.map((uri) => fieldProblem(url, uri)).find((p) => p !== undefined);
      if (problem || uris.length === 0) refuse(label, problem ?? "must list at least one URL");
      else {
        result.redirectUris = uris;
        result.setBy.set("redirectUris", label);
      }
    } else if (key === "depends_on") {
      const names = listOf(value);
      const problem = names.map((item) => fieldProblem(name, item)).find((p) => p !== undefined);
      if (problem) refuse(label, `has an entry that ${problem}`);
      else {
        result.dependsOn = names;
        result.setBy.set("dependsOn", label);
      }
    } else if (key.startsWith("widget.")) {
      const option = key.slice("widget.".length);
      const problem = widgetSecretProblem(option, value);
      if (problem) refuse(label, problem);
      else {
        result.widgetSecrets[option] = value;
        result.setBy.set(`widget.${option}`, label);
      }
    } else {
      const suggestion = closestKey(key, KNOWN);
      refuse(
        label,
        `is not an Autopilot label${suggestion ? ` (did you mean autopilot.${suggestion}?)` : ""}`,
      );
    }
  }
  return { labels: result, problems };
}

function listOf(value: string): string[] {
  return value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

function widgetSecretProblem(option: string, value: string): string | undefined {
  if (!/^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(option) || !isCredentialKey(option)) {
    return "names no widget credential (autopilot.widget.<key|password|token…> holds a secret reference; other widget options go in homepage.widget.*)";
  }
  let reference: ReturnType<typeof parseSecretReference>;
  try {
    reference = parseSecretReference(value);
  } catch (error) {
    return `is not a valid secret reference: ${error instanceof SecretReferenceError ? error.message : "malformed"}`;
  }
  // A literal here is a credential someone typed into a label: keep it out of every output.
  if (reference === undefined) redactor.register(value);
  if (reference?.kind !== "secret" || !reference.name.startsWith(LABEL_SECRET_PREFIX)) {
    return `must be a reference to a store secret whose name starts with ${LABEL_SECRET_PREFIX}, like \${secret:${LABEL_SECRET_PREFIX}sonarr_key} (labels cannot reach other secrets, environment variables or files)`;
  }
  return undefined;
}
