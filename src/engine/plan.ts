import type { Ownership } from "../state/state-store.ts";
import { type FieldChange, KNOWN_AFTER_APPLY } from "./field-diff.ts";
import { DependencyCycleError, DependencyGraph } from "./graph.ts";
import { kindId, type Observation } from "./observation.ts";
import {
  type DesiredResource,
  isGeneratedSecret,
  isOutputRef,
  outputRefsIn,
  type ResourceRef,
  refId,
} from "./resource.ts";
import type { Provider, ResourceKind } from "./resource-kind.ts";

export type ActionType = "create" | "update" | "delete" | "noop" | "conflict" | "invalid" | "forget";

/**
 * One step of a plan. `drift` marks a change that the config did not ask for: the config is the
 * same as at the last apply, but the target changed (edited or deleted behind our back).
 */
export interface PlannedAction {
  readonly id: string;
  readonly ref: ResourceRef;
  readonly type: ActionType;
  readonly changes: readonly FieldChange[];
  /** Ids of actions that must succeed first. */
  readonly dependsOn: readonly string[];
  readonly drift: boolean;
  readonly reason?: string;
  readonly origin?: string;
  readonly desired?: DesiredResource;
  readonly observed?: unknown;
}

export interface Plan {
  readonly actions: readonly PlannedAction[];
  /** Targets that could not be observed; nothing is planned for them. */
  readonly unavailable: ReadonlyMap<string, Error>;
}

export interface PlanInput {
  readonly desired: readonly DesiredResource[];
  readonly providers: readonly Provider[];
  readonly observation: Observation;
  readonly ownership: readonly Ownership[];
  /** refId → write-only field digests recorded at the last write. */
  readonly digests: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /** refId → digest of the resolved desired spec at the last successful write (for drift). */
  readonly lastApplied: ReadonlyMap<string, string>;
  /** Values of generated secrets already in the store (name → value). */
  readonly knownSecrets: ReadonlyMap<string, string>;
  /** Digest function for specs (canonical JSON sha256). */
  readonly digest: (value: unknown) => string;
  /** refId → why the resource cannot be planned (its kind's `prepare` refused it). */
  readonly invalid?: ReadonlyMap<string, string>;
}

export class PlanError extends Error {}

/**
 * Desired vs observed → actions. Pure: reads nothing and writes nothing, so `plan`, `drift`,
 * `apply` and the daemon share it and tests can drive it with plain data.
 */
export function planActions(input: PlanInput): Plan {
  const kinds = kindTable(input.providers);
  const desiredById = new Map<string, DesiredResource>();
  for (const resource of input.desired) {
    const id = refId(resource.ref);
    if (desiredById.has(id)) throw new PlanError(`two desired resources share the key ${id}`);
    if (!kinds.has(kindId(resource.ref.target, resource.ref.kind))) {
      throw new PlanError(`${id}: no provider declares the kind ${resource.ref.target}/${resource.ref.kind}`);
    }
    desiredById.set(id, resource);
  }
  const owned = new Map(input.ownership.map((entry) => [refId(entry), entry]));
  const willCreate = new Set<string>();
  const actions: PlannedAction[] = [];

  // First pass: which desired resources are missing (so outputs of those are unknown until apply).
  for (const [id, resource] of desiredById) {
    if (input.observation.unavailable.has(resource.ref.target)) continue;
    if (observed(input.observation, resource.ref) === undefined) willCreate.add(id);
  }

  for (const [id, resource] of desiredById) {
    const { ref } = resource;
    const kind = kinds.get(kindId(ref.target, ref.kind)) as ResourceKind;
    const dependsOn = dependenciesOf(resource, desiredById);
    if (input.observation.unavailable.has(ref.target)) continue;
    const current = observed(input.observation, ref);
    const invalid = input.invalid?.get(id);
    if (invalid !== undefined) {
      actions.push({
        id,
        ref,
        dependsOn,
        desired: resource,
        type: "invalid",
        changes: [],
        drift: false,
        reason: invalid,
      });
      continue;
    }
    const spec = resolveForPlan(resource.spec, input, willCreate, kinds);
    // Only drift needs the digest (a create of something never written has none to compare).
    const sameAsLastApplied = () => input.lastApplied.get(id) === input.digest(spec);
    const base = {
      id,
      ref,
      dependsOn,
      desired: resource,
      ...(resource.origin ? { origin: resource.origin } : {}),
    };
    const shared = kind.ownership === "shared";
    const ownership = owned.get(id);

    if (current === undefined) {
      const changes = creationChanges(spec, kind);
      const recreate = ownership !== undefined && ownership.externalId !== null;
      const drift = recreate && sameAsLastApplied();
      actions.push({
        ...base,
        type: "create",
        changes,
        drift,
        ...(recreate ? { reason: "deleted outside Autopilot" } : {}),
      });
      continue;
    }
    if (!shared && ownership === undefined) {
      actions.push({
        ...base,
        type: "conflict",
        changes: [],
        drift: false,
        observed: current,
        reason: `exists in ${ref.target} but was not created by Autopilot; to manage it, run \`autopilot adopt ${id}\``,
      });
      continue;
    }
    const changes = markSensitive(kind.diff(spec, current, input.digests.get(id) ?? {}), kind);
    if (changes.length === 0) {
      actions.push({ ...base, type: "noop", changes, drift: false, observed: current });
    } else {
      const drift = sameAsLastApplied();
      actions.push({ ...base, type: "update", changes, drift, observed: current });
    }
  }

  for (const entry of input.ownership) {
    const id = refId(entry);
    if (desiredById.has(id) || input.observation.unavailable.has(entry.target)) continue;
    const kind = kinds.get(kindId(entry.target, entry.kind));
    if (!kind) continue; // a kind this version no longer manages: leave it alone
    const current = observed(input.observation, entry);
    const ref = { target: entry.target, kind: entry.kind, key: entry.key };
    if (current === undefined) {
      actions.push({
        id,
        ref,
        type: "forget",
        changes: [],
        dependsOn: [],
        drift: false,
        reason: "already gone",
      });
    } else {
      actions.push({ id, ref, type: "delete", changes: [], dependsOn: [], drift: false, observed: current });
    }
  }
  const ordered = orderDeletes(actions, kinds);
  assertAcyclic(ordered);
  return { actions: ordered, unavailable: input.observation.unavailable };
}

/**
 * The executor runs an action after everything it depends on; a cycle would make it wait for
 * itself forever. Refuse the plan instead, naming the resources that form the cycle.
 */
function assertAcyclic(actions: readonly PlannedAction[]): void {
  const graph = new DependencyGraph();
  const planned = new Set(actions.map((action) => action.id));
  for (const action of actions) {
    graph.addNode(action.id);
    for (const dependency of action.dependsOn)
      if (planned.has(dependency)) graph.addDependency(action.id, dependency);
  }
  const cycles = graph.findCycles();
  if (cycles.length > 0) {
    throw new PlanError(
      `dependency cycle between desired resources: ${new DependencyCycleError(cycles).message}`,
    );
  }
}

function kindTable(providers: readonly Provider[]): Map<string, ResourceKind> {
  const table = new Map<string, ResourceKind>();
  for (const provider of providers)
    for (const kind of provider.kinds) table.set(kindId(provider.target, kind.kind), kind);
  return table;
}

function observed(observation: Observation, ref: ResourceRef): unknown {
  return observation.objects.get(kindId(ref.target, ref.kind))?.get(ref.key);
}

function dependenciesOf(resource: DesiredResource, desired: Map<string, DesiredResource>): string[] {
  const ids = new Set<string>();
  for (const ref of resource.dependsOn ?? []) ids.add(refId(ref));
  for (const output of outputRefsIn(resource.spec)) ids.add(refId(output.$output));
  const self = refId(resource.ref);
  ids.delete(self);
  for (const id of ids) {
    if (!desired.has(id))
      throw new PlanError(`${self} depends on ${id}, which is not part of the desired state`);
  }
  return [...ids].sort();
}

/** Replaces placeholders with what is known now; the rest becomes KNOWN_AFTER_APPLY. */
function resolveForPlan(
  value: unknown,
  input: PlanInput,
  willCreate: ReadonlySet<string>,
  kinds: ReadonlyMap<string, ResourceKind>,
): unknown {
  if (isOutputRef(value)) {
    const id = refId(value.$output);
    if (willCreate.has(id)) return KNOWN_AFTER_APPLY;
    const target = observed(input.observation, value.$output);
    if (target === undefined) return KNOWN_AFTER_APPLY;
    const kind = kinds.get(kindId(value.$output.target, value.$output.kind));
    return kind?.output(target, value.field) ?? KNOWN_AFTER_APPLY;
  }
  if (isGeneratedSecret(value)) return input.knownSecrets.get(value.$generatedSecret) ?? KNOWN_AFTER_APPLY;
  if (Array.isArray(value)) return value.map((item) => resolveForPlan(item, input, willCreate, kinds));
  if (value !== null && typeof value === "object") {
    // A plain loop, not Object.fromEntries(Object.entries(...).map(...)): this copies every node
    // of every spec of a plan, and the intermediate pair arrays were most of its cost.
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const item = resolveForPlan((value as Record<string, unknown>)[key], input, willCreate, kinds);
      // A member named __proto__ (it can come from a parsed file) stays a member, as
      // Object.fromEntries would keep it, instead of replacing the copy's prototype.
      if (key === "__proto__")
        Object.defineProperty(copy, key, {
          value: item,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      else copy[key] = item;
    }
    return copy;
  }
  return value;
}

function creationChanges(spec: unknown, kind: ResourceKind): FieldChange[] {
  const changes: FieldChange[] = [];
  const walk = (value: unknown, path: string) => {
    if (
      value !== null &&
      typeof value === "object" &&
      !Array.isArray(value) &&
      !("$knownAfterApply" in value)
    ) {
      for (const [key, item] of Object.entries(value))
        if (item !== undefined) walk(item, path ? `${path}.${key}` : key);
      return;
    }
    changes.push({ path, before: undefined, after: value });
  };
  walk(spec, "");
  return markSensitive(changes, kind);
}

function markSensitive(changes: FieldChange[], kind: ResourceKind): FieldChange[] {
  const sensitive = kind.sensitiveFields ?? [];
  if (sensitive.length === 0) return changes;
  return changes.map((change) =>
    sensitive.some((field) => change.path === field || change.path.startsWith(`${field}.`))
      ? { ...change, sensitive: true }
      : change,
  );
}

/**
 * Deletes run after every create and update (so references to what is deleted are already
 * gone), dependents before their dependencies: an application before its provider.
 */
function orderDeletes(actions: PlannedAction[], kinds: Map<string, ResourceKind>): PlannedAction[] {
  const writes = actions.filter((a) => a.type === "create" || a.type === "update").map((a) => a.id);
  return actions.map((action) => {
    if (action.type !== "delete") return action;
    const kind = kinds.get(kindId(action.ref.target, action.ref.kind));
    const dependentDeletes = actions.filter((other) => {
      if (other.type !== "delete" || other.ref.target !== action.ref.target) return false;
      const otherKind = kinds.get(kindId(other.ref.target, other.ref.kind));
      return otherKind?.dependsOnKinds?.includes(kind?.kind ?? "") ?? false;
    });
    return { ...action, dependsOn: [...writes, ...dependentDeletes.map((a) => a.id)].sort() };
  });
}
