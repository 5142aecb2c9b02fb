import { closestKey } from "../../config/key-suggestion.ts";
import { userWidgetTypes, type WidgetType, widgetType } from "./widget-types.ts";

/**
 * Checks one widget against Homepage's widget table: the type exists (and is one a user may
 * write), every required option is there, and `fields` names only what the widget shows.
 * Credentials Autopilot supplies itself (its own Grafana and Authentik tokens), the `version`
 * it always writes for grafana and authentik, and a `url` taken from the service's href count as
 * present.
 */
export interface WidgetSpecContext {
  /** Widget types whose credentials Autopilot provides (grafana, authentik when those targets are configured). */
  readonly autoCredentials: ReadonlySet<string>;
  /** The service has an href, which a widget without `url` gets as its url. */
  readonly hrefKnown?: boolean;
}

export interface WidgetIssue {
  /** The option concerned ("type", "url", "fields"). */
  readonly option: string;
  readonly reason: string;
}

/** Options Autopilot fills when they are missing: the version always, credentials when it owns them. */
export const AUTO_VERSION: Readonly<Record<string, number>> = { grafana: 2, authentik: 2 };
const AUTO_CREDENTIALS: Readonly<Record<string, readonly string[]>> = {
  grafana: ["username", "password"],
  authentik: ["key"],
};

export function checkWidgetSpec(
  widget: Readonly<Record<string, unknown>>,
  context: WidgetSpecContext,
): { errors: WidgetIssue[]; warnings: WidgetIssue[]; spec?: WidgetType } {
  const errors: WidgetIssue[] = [];
  const warnings: WidgetIssue[] = [];
  const typeName = widget.type;
  if (typeof typeName !== "string" || typeName === "") {
    return { errors: [{ option: "type", reason: "is missing: every widget needs a type" }], warnings };
  }
  const spec = widgetType(typeName);
  if (!spec || spec.internal) {
    const suggestion = closestKey(typeName, userWidgetTypes());
    errors.push({
      option: "type",
      reason: `names no Homepage widget type${suggestion ? ` (did you mean ${suggestion}?)` : ""}; Homepage would show "Missing Widget Type"`,
    });
    return { errors, warnings };
  }
  const implemented = spec.aliasOf ?? spec.type;
  const supplied = new Set<string>(context.hrefKnown ? ["url"] : []);
  // Own keys only: a type named "constructor" must not find Object.prototype's.
  if (Object.hasOwn(AUTO_VERSION, implemented)) supplied.add("version");
  if (context.autoCredentials.has(implemented) && Object.hasOwn(AUTO_CREDENTIALS, implemented)) {
    for (const option of AUTO_CREDENTIALS[implemented] ?? []) supplied.add(option);
  }
  for (const option of spec.required) {
    if (widget[option] === undefined && !supplied.has(option)) {
      errors.push({ option, reason: `is required by the ${typeName} widget` });
    }
  }
  checkFields(widget.fields, spec, warnings);
  return { errors, warnings, spec };
}

function checkFields(fields: unknown, spec: WidgetType, warnings: WidgetIssue[]): void {
  if (fields === undefined) return;
  if (!Array.isArray(fields) || fields.some((field) => typeof field !== "string")) {
    warnings.push({ option: "fields", reason: "is not a list of field names; Homepage ignores it" });
    return;
  }
  const allowed = spec.fieldsAllowed;
  const unknown = allowed ? fields.filter((field) => !allowed.includes(field as string)) : [];
  if (unknown.length > 0) {
    warnings.push({
      option: "fields",
      reason: `names fields the ${spec.type} widget does not have: ${unknown.join(", ")} (it has ${allowed?.join(", ")})`,
    });
  }
  if (spec.fieldsMax !== undefined && fields.length > spec.fieldsMax) {
    warnings.push({
      option: "fields",
      reason: `lists ${fields.length} fields; the widget shows at most ${spec.fieldsMax}`,
    });
  }
}
