/**
 * Desired state is data: a list of resources, each naming its kind and natural key and
 * carrying a spec. A spec may hold placeholders for values that exist only in a target — the
 * integer pk of a provider an application points at, a generated client secret — which the
 * engine resolves at plan time (when known) or during apply (when created in the same run).
 */

/** Identity of one object in one target: "authentik/application/grafana". */
export interface ResourceRef {
  readonly target: string;
  readonly kind: string;
  readonly key: string;
}

export function refId(ref: ResourceRef): string {
  return `${ref.target}/${ref.kind}/${ref.key}`;
}

export function parseRefId(id: string): ResourceRef | undefined {
  const [target, kind, ...rest] = id.split("/");
  if (!target || !kind || rest.length === 0) return undefined;
  return { target, kind, key: rest.join("/") };
}

/** A value taken from another resource once it exists, e.g. the provider's pk. */
export interface OutputRef {
  readonly $output: ResourceRef;
  readonly field: string;
}

/** A secret Autopilot generates once and keeps in the secret store (client secrets, keys). */
export interface GeneratedSecret {
  readonly $generatedSecret: string;
  /** Characters of the generated value. */
  readonly length: number;
}

export function outputOf(ref: ResourceRef, field: string): OutputRef {
  return { $output: ref, field };
}

export function generatedSecret(name: string, length = 64): GeneratedSecret {
  return { $generatedSecret: name, length };
}

export function isOutputRef(value: unknown): value is OutputRef {
  return typeof value === "object" && value !== null && "$output" in value && "field" in value;
}

export function isGeneratedSecret(value: unknown): value is GeneratedSecret {
  return typeof value === "object" && value !== null && "$generatedSecret" in value;
}

export interface DesiredResource<Spec = Record<string, unknown>> {
  readonly ref: ResourceRef;
  readonly spec: Spec;
  /** Resources that must exist first; OutputRefs in the spec add theirs automatically. */
  readonly dependsOn?: readonly ResourceRef[];
  /** Where it came from, for messages: "service Grafana (label on container grafana)". */
  readonly origin?: string;
}

/** Every OutputRef in a spec, wherever it sits. */
export function outputRefsIn(value: unknown): OutputRef[] {
  return placeholdersIn(value).outputs;
}

/** Every GeneratedSecret in a spec, wherever it sits. */
export function generatedSecretsIn(value: unknown): GeneratedSecret[] {
  return placeholdersIn(value).secrets;
}

interface Placeholders {
  readonly outputs: OutputRef[];
  readonly secrets: GeneratedSecret[];
}

/**
 * Found once per spec object: a plan and its apply ask the same spec for its references and its
 * secrets four times (secrets to read, dependencies, secrets to generate, resolution), and on a
 * big lab those walks were a fifth of planning. Specs are data that nothing edits in place
 * (preparing one returns a new object), so what was found stays true. Callers get copies.
 */
const found = new WeakMap<object, Placeholders>();

function placeholdersIn(value: unknown): Placeholders {
  if (value === null || typeof value !== "object") return { outputs: [], secrets: [] };
  let result = found.get(value);
  if (!result) {
    result = walkPlaceholders(value);
    found.set(value, result);
  }
  return { outputs: [...result.outputs], secrets: [...result.secrets] };
}

/** One walk pushing into two arrays (flatMap over Object.values built an array per node). */
function walkPlaceholders(value: object): Placeholders {
  const outputs: OutputRef[] = [];
  const secrets: GeneratedSecret[] = [];
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== "object") return;
    if (isOutputRef(node)) {
      outputs.push(node);
      return;
    }
    if (isGeneratedSecret(node)) {
      secrets.push(node);
      return;
    }
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    for (const key of Object.keys(node)) walk((node as Record<string, unknown>)[key]);
  };
  walk(value);
  return { outputs, secrets };
}
