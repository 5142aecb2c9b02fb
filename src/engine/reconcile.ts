import type { AuditSink } from "../observability/audit/audit-event.ts";
import { digestOf } from "../observability/audit/canonical-json.ts";
import type { StateStore } from "../state/state-store.ts";
import {
  type ActionResult,
  executePlan,
  type ProgressEvent,
  readSecrets,
  type SecretAccess,
} from "./execute.ts";
import type { Observation } from "./observation.ts";
import { type Connected, connectProviders, observeTargets } from "./observe.ts";
import { type Plan, planActions } from "./plan.ts";
import { type DesiredResource, generatedSecretsIn, refId } from "./resource.ts";
import type { Provider } from "./resource-kind.ts";

export interface ReconcileContext {
  readonly providers: readonly Provider[];
  readonly desired: readonly DesiredResource[];
  readonly state: StateStore;
  readonly audit: AuditSink;
  readonly secrets: SecretAccess;
  readonly actor: string;
  /**
   * Connections already under way: the CLI sends each target's version check while it derives
   * the desired state and opens the state store, so planning need not wait a round trip for
   * it. Without it, planning connects.
   */
  readonly connect?: () => Promise<Connected>;
}

export interface PreparedPlan {
  readonly plan: Plan;
  readonly observation: Observation;
  readonly connected: Connected;
}

/**
 * Connect, observe (one list per kind), plan. Read-only: `plan` and `drift` stop here; `apply`
 * and the daemon go on to `applyPlan`.
 */
export async function preparePlan(context: ReconcileContext): Promise<PreparedPlan> {
  const connected = await (context.connect?.() ?? connectProviders(context.providers));
  const ownership = await context.state.listOwned();
  // Every `prepare` is called before anything is listed (a kind may note there which objects'
  // details its list must read: Grafana's DetailInterest); the lists then are in flight while
  // the asynchronous part of preparing (Authentik's lookups) finishes.
  const [{ desired, invalid }, observation] = await Promise.all([
    prepareSpecs(context, connected),
    observeTargets(context.providers, connected, [...context.desired, ...ownership]),
  ]);
  const digests = new Map<string, Record<string, string>>();
  const lastApplied = new Map<string, string>();
  for (const entry of await context.state.listDigests()) {
    const id = refId(entry);
    if (entry.field === "spec") lastApplied.set(id, entry.digest);
    else if (entry.field.startsWith("write-only:")) {
      const fields = digests.get(id) ?? {};
      fields[entry.field.slice("write-only:".length)] = entry.digest;
      digests.set(id, fields);
    }
  }
  const names = new Set(
    context.desired.flatMap((resource) => generatedSecretsIn(resource.spec).map((s) => s.$generatedSecret)),
  );
  const knownSecrets = await readSecrets(context.secrets, [...names]);
  const plan = planActions({
    desired,
    invalid,
    providers: context.providers,
    observation,
    ownership,
    digests,
    lastApplied,
    knownSecrets,
    digest: digestOf,
  });
  return { plan, observation, connected };
}

/** Runs each kind's `prepare` (names → ids) for targets that connected. */
async function prepareSpecs(
  context: ReconcileContext,
  connected: Connected,
): Promise<{ desired: DesiredResource[]; invalid: Map<string, string> }> {
  const kinds = new Map(
    context.providers.flatMap((p) => p.kinds.map((k) => [`${p.target}/${k.kind}`, k] as const)),
  );
  const invalid = new Map<string, string>();
  const desired = await Promise.all(
    context.desired.map(async (resource) => {
      const kind = kinds.get(`${resource.ref.target}/${resource.ref.kind}`);
      if (!kind?.prepare || !connected.sessions.has(resource.ref.target)) return resource;
      try {
        return {
          ...resource,
          spec: await kind.prepare(connected.sessions.get(resource.ref.target), resource.spec),
        };
      } catch (error) {
        invalid.set(refId(resource.ref), error instanceof Error ? error.message : String(error));
        return resource;
      }
    }),
  );
  return { desired, invalid };
}

export interface ApplyOptions {
  readonly concurrency?: number;
  readonly only?: ReadonlySet<string>;
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: ProgressEvent) => void;
}

export async function applyPlan(
  context: ReconcileContext,
  prepared: PreparedPlan,
  options: ApplyOptions = {},
): Promise<ActionResult[]> {
  return executePlan({
    plan: prepared.plan,
    providers: context.providers,
    sessions: prepared.connected.sessions,
    observation: prepared.observation,
    state: context.state,
    audit: context.audit,
    secrets: context.secrets,
    actor: context.actor,
    digest: digestOf,
    ...options,
  });
}

/** True when every result converged (nothing failed or was skipped) and no target was unreachable. */
export function converged(results: readonly ActionResult[], plan: Plan): boolean {
  return (
    plan.unavailable.size === 0 &&
    results.every((result) => result.status === "succeeded" || result.status === "unchanged")
  );
}
