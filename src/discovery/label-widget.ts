import type { Widget } from "../catalog/service.ts";
import { isCredentialKey } from "../config/credential-keys.ts";
import { url } from "../config/url-field.ts";
import { containsPlaceholderSyntax, isForeignPlaceholder } from "../providers/homepage/placeholders.ts";
import { checkWidgetSpec, type WidgetSpecContext } from "../providers/homepage/widget-check.ts";
import { isJsonParsedBoolean, isSecretOption, widgetType } from "../providers/homepage/widget-types.ts";
import { redactor } from "../secrets/redactor.ts";
import type { LabelProblem } from "./homepage-labels.ts";
import { fieldProblem } from "./label-check.ts";

/**
 * A widget as container labels describe it, turned into what Homepage would make of it and
 * checked: `fields`/`highlight` JSON strings parsed (bad JSON is dropped, as Homepage drops it),
 * Homepage's strictly JSON-parsed booleans required to be exactly true/false, credentials only
 * as `{{HOMEPAGE_VAR_*}}`/`{{HOMEPAGE_FILE_*}}` placeholders (or `autopilot.widget.*` secret
 * references), placeholders nowhere else, URLs only http(s), and the type, required options and
 * fields checked against Homepage's widget table.
 */
export interface LabelWidget {
  readonly widget?: Widget;
  readonly problems: LabelProblem[];
  readonly warnings: LabelProblem[];
}

const OPTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const SCRIPT_SCHEME = /^\s*(javascript|data|vbscript|file):/i;
const MAX_DEPTH = 4;
const MAX_ITEMS = 50;

export function widgetFromLabels(
  raw: unknown,
  path: string,
  labelOf: (path: string) => string,
  secrets: Readonly<Record<string, string>>,
  context: WidgetSpecContext,
): LabelWidget {
  const problems: LabelProblem[] = [];
  const warnings: LabelProblem[] = [];
  const label = (option: string) => labelOf(option === "" ? path : `${path}.${option}`);
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    problems.push({
      label: label(""),
      reason: `must be set through ${label("")}.<option> labels, not as one value`,
    });
    return { problems, warnings };
  }
  const source = raw as Record<string, unknown>;
  const typeName = typeof source.type === "string" ? source.type : "";
  const widget: Record<string, unknown> = {};
  for (const [option, value] of Object.entries(source)) {
    const normalised = optionValue(typeName, option, value, label, problems, warnings);
    if (normalised !== undefined) widget[option] = normalised;
  }
  for (const [option, reference] of Object.entries(secrets)) {
    if (widget[option] !== undefined) {
      warnings.push({ label: label(option), reason: `is overridden by autopilot.widget.${option}` });
    }
    widget[option] = reference;
  }
  const spec = checkWidgetSpec(widget, context);
  for (const issue of spec.errors) problems.push({ label: label(issue.option), reason: issue.reason });
  for (const issue of spec.warnings) warnings.push({ label: label(issue.option), reason: issue.reason });
  return problems.length > 0 ? { problems, warnings } : { widget: widget as Widget, problems, warnings };
}

function optionValue(
  type: string,
  option: string,
  value: unknown,
  label: (option: string) => string,
  problems: LabelProblem[],
  warnings: LabelProblem[],
): unknown {
  const refuse = (reason: string) => void problems.push({ label: label(option), reason });
  if (!OPTION_NAME.test(option)) return refuse("is not a widget option name (letters, digits, '_' and '-')");
  if (option === "version") {
    if (typeof value !== "number" || Number.isNaN(value))
      return refuse("must be a number (Homepage reads it with parseInt)");
    return value;
  }
  if (option === "fields" || option === "highlight") {
    if (typeof value !== "string") return nested(value, option, label, problems, 1);
    try {
      return nested(JSON.parse(value), option, label, problems, 1);
    } catch {
      warnings.push({
        label: label(option),
        reason: "is not valid JSON; Homepage ignores it, and so does Autopilot",
      });
      return undefined;
    }
  }
  if (option === "headers") return headers(value, label, problems);
  if (typeof value !== "string") return nested(value, option, label, problems, 1);
  if (option === "url") {
    const problem = fieldProblem(url, value);
    return problem ? refuse(problem) : value;
  }
  const spec = widgetType(type);
  if ((spec && isSecretOption(spec, option)) || isCredentialKey(option)) {
    if (isForeignPlaceholder(value)) return value;
    if (!containsPlaceholderSyntax(value)) redactor.register(value);
    return refuse(
      "holds a credential; labels are readable by anyone who can run docker inspect, so use autopilot.widget.<option>=${secret:homepage_…} or a {{HOMEPAGE_FILE_…}} placeholder",
    );
  }
  if (isJsonParsedBoolean(type, option)) {
    if (value !== "true" && value !== "false") {
      return refuse(
        "must be exactly true or false (Homepage parses it as JSON and drops every discovered service otherwise)",
      );
    }
    return value === "true";
  }
  const text = textProblem(value);
  if (text) return refuse(text);
  if (spec?.options.get(option)?.kind === "boolean" && value === "false") {
    warnings.push({
      label: label(option),
      reason: "counts as true in Homepage (a non-empty string); remove the label to turn it off",
    });
  }
  return value;
}

function textProblem(value: string): string | undefined {
  if (containsPlaceholderSyntax(value)) {
    return "uses a {{…}} placeholder outside a credential option; Homepage would substitute it there too";
  }
  if (SCRIPT_SCHEME.test(value)) return "must not be a javascript:, data:, vbscript: or file: URL";
  return undefined;
}

function headers(value: unknown, label: (option: string) => string, problems: LabelProblem[]): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    problems.push({ label: label("headers"), reason: "must be set as homepage.widget.headers.<Name>=value" });
    return undefined;
  }
  const result: Record<string, string> = {};
  for (const [name, item] of Object.entries(value)) {
    const at = `headers.${name}`;
    if (!/^[A-Za-z0-9-]{1,64}$/.test(name) || typeof item !== "string") {
      problems.push({
        label: label(at),
        reason: "must be one header (letters, digits and '-') with a text value",
      });
      continue;
    }
    if (isForeignPlaceholder(item, { header: true })) result[name] = item;
    else if (name.toLowerCase() === "authorization" || isCredentialKey(name)) {
      if (!containsPlaceholderSyntax(item)) redactor.register(item);
      problems.push({
        label: label(at),
        reason: "holds a credential; use a {{HOMEPAGE_FILE_…}} placeholder",
      });
    } else {
      const problem = textProblem(item);
      if (problem) problems.push({ label: label(at), reason: problem });
      else result[name] = item;
    }
  }
  return result;
}

/** Lists and maps of plain values (customapi mappings, highlight rules), bounded in size and depth. */
function nested(
  value: unknown,
  path: string,
  label: (option: string) => string,
  problems: LabelProblem[],
  depth: number,
): unknown {
  const refuse = (reason: string) => void problems.push({ label: label(path), reason });
  if (typeof value === "number" || typeof value === "boolean") return value;
  if (typeof value === "string") {
    const problem = textProblem(value);
    return problem ? refuse(problem) : value;
  }
  if (depth > MAX_DEPTH) return refuse(`nests deeper than ${MAX_DEPTH} levels`);
  if (Array.isArray(value)) {
    if (value.length > MAX_ITEMS) return refuse(`has more than ${MAX_ITEMS} entries`);
    return Array.from(value, (item, index) => nested(item, `${path}.${index}`, label, problems, depth + 1));
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length > MAX_ITEMS) return refuse(`has more than ${MAX_ITEMS} entries`);
    const result: Record<string, unknown> = {};
    for (const [key, item] of entries) {
      if (!OPTION_NAME.test(key)) {
        problems.push({
          label: label(`${path}.${key}`),
          reason: "is not an option name (letters, digits, '_' and '-')",
        });
        continue;
      }
      result[key] = nested(item, `${path}.${key}`, label, problems, depth + 1);
    }
    return result;
  }
  return refuse("must be text, a number, true/false, or a list or map of those");
}
