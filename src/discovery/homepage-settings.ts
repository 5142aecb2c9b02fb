import type { FieldSource } from "../catalog/service.ts";
import { url } from "../config/url-field.ts";
import type { LabelProblem } from "./homepage-labels.ts";
import { fieldProblem } from "./label-check.ts";

/**
 * The tile settings of a labelled service other than name, group, href, description, icon and
 * widgets, as Homepage would read them: `weight` through parseInt (not a number → 0),
 * `showStats` through JSON.parse (so only exactly true/false: anything else makes Homepage drop
 * every discovered service), the rest as text with their allowed values. `server` and
 * `container` point at docker.yaml endpoints, which Autopilot does not use (it renders the
 * container's tile itself), so they are dropped with a warning, as is anything unknown.
 */
type Check = (value: string) => { value: unknown } | { problem: string };

const text =
  (pattern: RegExp, expected: string): Check =>
  (value) =>
    pattern.test(value) ? { value } : { problem: `must be ${expected}` };
const oneOf =
  (...allowed: string[]): Check =>
  (value) =>
    allowed.includes(value) ? { value } : { problem: `must be one of ${allowed.join(", ")}` };

const SETTINGS: Readonly<Record<string, Check>> = {
  weight: (value) => ({ value: Number.isNaN(Number.parseInt(value, 10)) ? 0 : Number.parseInt(value, 10) }),
  showStats: (value) =>
    value === "true" || value === "false"
      ? { value: value === "true" }
      : {
          problem:
            "must be exactly true or false (Homepage parses it as JSON and drops every discovered service otherwise)",
        },
  siteMonitor: (value) => {
    const problem = fieldProblem(url, value);
    return problem ? { problem } : { value };
  },
  ping: text(/^[A-Za-z0-9](?:[A-Za-z0-9.:[\]_-]{0,252})$/, "a host name or IP address"),
  statusStyle: oneOf("dot", "basic"),
  target: oneOf("_blank", "_self", "_top", "_parent"),
  id: text(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, "an HTML id (a letter, then letters, digits, '_' or '-')"),
  proxmoxNode: text(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "a proxmox.yaml node name"),
  proxmoxVMID: text(/^\d{1,9}$/, "a VM id (digits)"),
  proxmoxType: oneOf("qemu", "lxc"),
};

/** Keys handled elsewhere (the service fields and widgets). */
const HANDLED = new Set(["name", "group", "href", "description", "icon", "widget", "widgets"]);

export function homepageSettings(
  value: Record<string, unknown>,
  labelOf: (path: string) => string,
  problems: LabelProblem[],
  warnings: LabelProblem[],
  sources: Record<string, FieldSource>,
): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const [key, given] of Object.entries(value)) {
    if (HANDLED.has(key)) continue;
    const label = labelOf(key);
    // Own keys only: a label named homepage.toString must not find Object.prototype.toString.
    const check = Object.hasOwn(SETTINGS, key) ? SETTINGS[key] : undefined;
    if (!check) {
      warnings.push({
        label,
        reason:
          key === "server" || key === "container"
            ? "is ignored: Autopilot writes the tile itself and does not use docker.yaml endpoints"
            : "is not a Homepage service setting Autopilot knows; ignored",
      });
      continue;
    }
    if (typeof given !== "string") {
      problems.push({ label, reason: "must be one value, not nested labels" });
      continue;
    }
    const outcome = check(given);
    if ("problem" in outcome) problems.push({ label, reason: outcome.problem });
    else {
      settings[key] = outcome.value;
      sources[`homepage.${key}`] = { kind: "label", detail: label };
      if (key === "weight" && outcome.value === 0 && !/^\s*[-+]?0/.test(given)) {
        warnings.push({ label, reason: "is not a number; Homepage reads it as 0" });
      }
    }
  }
  return settings;
}
