/**
 * Homepage substitutes `{{HOMEPAGE_VAR_X}}` (an environment variable) and `{{HOMEPAGE_FILE_X}}`
 * (the content of the file named by variable X) in the raw text of its config files and labels.
 * Autopilot's own variables carry the AUTOPILOT_ infix so that nothing a label says can name
 * them: a label like `homepage.description={{HOMEPAGE_FILE_AUTOPILOT_…}}` would otherwise print
 * one of Autopilot's secrets on the dashboard.
 */
export const AUTOPILOT_FILE_VARIABLE_PREFIX = "HOMEPAGE_FILE_AUTOPILOT_";

const PLACEHOLDER = /^\{\{(HOMEPAGE_(?:VAR|FILE)_[A-Za-z0-9_]{1,100})\}\}$/;
/** A header value may put a scheme before the placeholder: "Bearer {{HOMEPAGE_VAR_TOKEN}}". */
const HEADER_PLACEHOLDER =
  /^(?:[A-Za-z][A-Za-z0-9-]{0,30} )?\{\{(HOMEPAGE_(?:VAR|FILE)_[A-Za-z0-9_]{1,100})\}\}$/;

export function placeholderFor(variable: string): string {
  return `{{${variable}}}`;
}

export function containsPlaceholderSyntax(value: string): boolean {
  return value.includes("{{") || value.includes("}}");
}

/** The variable a value consisting of one placeholder names, or undefined. */
export function placeholderVariable(value: string, options: { header?: boolean } = {}): string | undefined {
  return (options.header ? HEADER_PLACEHOLDER : PLACEHOLDER).exec(value)?.[1];
}

/** Whether a label or config value may use this placeholder: any but Autopilot's own. */
export function isForeignPlaceholder(value: string, options: { header?: boolean } = {}): boolean {
  const variable = placeholderVariable(value, options);
  return variable !== undefined && !/^HOMEPAGE_(VAR|FILE)_AUTOPILOT_/i.test(variable);
}

/** `HOMEPAGE_FILE_AUTOPILOT_<WHAT>` for a secret Autopilot writes; WHAT is upper-cased and sanitised. */
export function autopilotFileVariable(what: string): string {
  return `${AUTOPILOT_FILE_VARIABLE_PREFIX}${what
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")}`;
}
