/**
 * Homepage's label path semantics (its `shvl.set`), reproduced so a label means here exactly what
 * it means to Homepage: the path is split on '.', '[' and ']'; a missing step becomes an array
 * when the step after it is a number, else an object; an existing array stays an array; a step
 * named __proto__, constructor or prototype makes the label a no-op. Where Homepage would throw
 * (a value and a nested key at the same path: setting a property on a string fails in strict
 * mode, and Homepage then drops every container of that Docker endpoint) this says "conflict".
 */
const DANGEROUS = /^(__proto__|constructor|prototype)$/;
const INDEX = /^\d+$/;

export type SetOutcome = "set" | "ignored" | "conflict";

export function pathSegments(path: string): string[] {
  return path.split(/[.[\]]+/).filter(Boolean);
}

export function setLabelPath(target: Record<string, unknown>, path: string, value: unknown): SetOutcome {
  const keys = pathSegments(path);
  const last = keys.pop();
  if (last === undefined || DANGEROUS.test(last)) return "ignored";
  let container: unknown = target;
  let detached = false;
  for (const [index, key] of keys.entries()) {
    if (DANGEROUS.test(key)) {
      container = {};
      detached = true;
      continue;
    }
    if (!isObjectLike(container)) return "conflict";
    const holder = container as Record<string, unknown>;
    const existing = holder[key];
    // keys[index + 1] is undefined for the last step (the final key was popped), as in Homepage.
    const nextIsIndex = INDEX.test(keys[index + 1] ?? "");
    const next = Array.isArray(existing) ? existing : nextIsIndex ? [] : existing || {};
    holder[key] = next;
    container = next;
  }
  if (!isObjectLike(container)) return "conflict";
  (container as Record<string, unknown>)[last] = value;
  return detached ? "ignored" : "set";
}

function isObjectLike(value: unknown): boolean {
  return typeof value === "object" && value !== null;
}
