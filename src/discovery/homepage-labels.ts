import { pathSegments, setLabelPath } from "./label-path.ts";

/**
 * Builds the service object(s) Homepage itself would build from a container's `homepage.*`
 * labels, step for step: labels in the order the Docker API lists them (sorted by name), a later
 * label overwriting an earlier one; `homepage.instance.<NAME>.x` applied as `x` only when NAME is
 * this Homepage's `instanceName` (so it beats `homepage.x` only when `x` sorts before
 * "instance"), other instances' labels ignored; `widget.version` (and `widgets[n].version`)
 * turned into a number with parseInt; `homepage.services[n].*` making one service per entry on
 * top of the shared labels. Values stay strings otherwise: validation comes later.
 */
export interface HomepageLabelParse {
  /** One object per service the labels describe; empty when no homepage label applies. */
  readonly services: readonly RawLabelService[];
  /** Labels Homepage would fail on; each makes Homepage drop the whole Docker endpoint. */
  readonly problems: readonly LabelProblem[];
}

export interface RawLabelService {
  readonly value: Record<string, unknown>;
  /** Dotted property path → the label that set it last ("widget.type" → "homepage.widget.type"). */
  readonly setBy: ReadonlyMap<string, string>;
}

export interface LabelProblem {
  readonly label: string;
  readonly reason: string;
}

const PREFIX = "homepage.";
const VERSION_PATH = /^widgets?(?:[.[]\d+\]?)?\.version$/;

/** Docker's JSON lists labels sorted by name, bytewise (Go's map order); so do we. */
export function labelsInDockerOrder(labels: Readonly<Record<string, string>>): [string, string][] {
  return Object.entries(labels).sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

export function parseHomepageLabels(
  labels: Readonly<Record<string, string>>,
  instanceName?: string,
): HomepageLabelParse {
  let constructed: Record<string, unknown> | undefined;
  const setBy = new Map<string, string>();
  const problems: LabelProblem[] = [];
  for (const [label, raw] of labelsInDockerOrder(labels)) {
    if (!label.startsWith(PREFIX)) continue;
    let path = label.slice(PREFIX.length);
    if (instanceName && path.startsWith(`instance.${instanceName}.`)) {
      path = path.slice(`instance.${instanceName}.`.length);
    } else if (path.startsWith("instance.")) {
      continue;
    }
    constructed ??= {};
    const value: unknown = VERSION_PATH.test(path) ? Number.parseInt(raw, 10) : raw;
    const outcome = setLabelPath(constructed, path, value);
    if (outcome === "conflict") {
      problems.push({
        label,
        reason: "sets a key inside a value another label already set; Homepage fails on this",
      });
    } else if (outcome === "set") {
      const key = pathSegments(path).join(".");
      for (const existing of [...setBy.keys()]) {
        if (existing.startsWith(`${key}.`)) setBy.delete(existing);
      }
      setBy.set(key, label);
    }
  }
  if (!constructed) return { services: [], problems };
  return { services: splitServices(constructed, setBy, problems), problems };
}

/** `homepage.services[n].*`: one service per entry, each over a copy of the shared labels. */
function splitServices(
  constructed: Record<string, unknown>,
  setBy: Map<string, string>,
  problems: LabelProblem[],
): RawLabelService[] {
  const list = constructed.services;
  if (!list) return [{ value: constructed, setBy }];
  if (!Array.isArray(list)) {
    problems.push({
      label:
        setBy.get("services") ??
        [...setBy.values()].find((l) => l.includes("services")) ??
        "homepage.services",
      reason: "homepage.services must be indexed (homepage.services[0].name=…); Homepage fails on this",
    });
    return [];
  }
  const base = { ...constructed };
  delete base.services;
  const baseSetBy = new Map([...setBy].filter(([path]) => !path.startsWith("services.")));
  return Array.from({ length: list.length }, (_, index) => {
    const entry = list[index];
    const value: Record<string, unknown> = { ...structuredClone(base) };
    const sources = new Map(baseSetBy);
    if (entry !== null && typeof entry === "object") {
      for (const key of Object.keys(entry)) {
        for (const path of [...sources.keys()])
          if (path === key || path.startsWith(`${key}.`)) sources.delete(path);
      }
      Object.assign(value, entry);
      const prefix = `services.${index}.`;
      for (const [path, label] of setBy)
        if (path.startsWith(prefix)) sources.set(path.slice(prefix.length), label);
    }
    return { value, setBy: sources };
  });
}
