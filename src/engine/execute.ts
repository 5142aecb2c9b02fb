import type { AuditSink } from "../observability/audit/audit-event.ts";
import { withAction } from "../observability/context.ts";
import { logger } from "../observability/logger.ts";
import { counter, histogram } from "../observability/metrics.ts";
import { generateSecretValue } from "../secrets/generate.ts";
import type { StateStore } from "../state/state-store.ts";
import type { FieldChange } from "./field-diff.ts";
import { kindId, type Observation } from "./observation.ts";
import type { Plan, PlannedAction } from "./plan.ts";
import { resolveSpec } from "./resolve-spec.ts";
import { type DesiredResource, generatedSecretsIn, type ResourceRef, refId } from "./resource.ts";
import type { Provider, ResourceKind, WriteContext } from "./resource-kind.ts";
import type { Semaphore } from "./semaphore.ts";
import type { TurnSlicer } from "./turn-slicer.ts";
import { isUnknownOutcomeError, writeErrorSummary } from "./write-errors.ts";
import { WriteLanes } from "./write-lanes.ts";

export type ActionStatus = "succeeded" | "unchanged" | "failed" | "skipped";

export interface ActionResult {
  readonly id: string;
  readonly ref: ResourceRef;
  readonly type: PlannedAction["type"];
  readonly status: ActionStatus;
  readonly changes: readonly FieldChange[];
  readonly attempts: number;
  readonly ms: number;
  readonly error?: { kind: string; message: string };
}

export interface SecretAccess {
  get(name: string): Promise<string | undefined>;
  /** Several at once, with one read where the store can; absent names are left out. */
  getMany?(names: readonly string[]): Promise<Map<string, string>>;
  set(name: string, value: string): Promise<void>;
  /** Several at once, in one durable write where the store can. */
  setMany?(entries: readonly (readonly [string, string])[]): Promise<void>;
}

export interface ExecuteOptions {
  readonly plan: Plan;
  readonly providers: readonly Provider[];
  readonly sessions: ReadonlyMap<string, unknown>;
  readonly observation: Observation;
  readonly state: StateStore;
  readonly audit: AuditSink;
  readonly secrets: SecretAccess;
  readonly actor: string;
  readonly digest: (value: unknown) => string;
  /** Concurrent writes per target (default 8), unless the provider sets its own. */
  readonly concurrency?: number;
  /** Re-reads and retries after unknown outcomes before giving up (default 5). */
  readonly maxUnknownOutcomeRetries?: number;
  /** Only these action ids (and what they need) are executed. */
  readonly only?: ReadonlySet<string>;
  /** When aborted, actions in flight finish and nothing new starts. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: ProgressEvent) => void;
}

/** `start`: the action's first request is about to be sent (an action with nothing to send has none). */
export type ProgressEvent =
  | { type: "start"; action: PlannedAction; total: number }
  | { type: "finish"; result: ActionResult; done: number; total: number };

const actionsTotal = counter("engine_actions_total", "Actions executed by apply", [
  "target",
  "kind",
  "action",
  "outcome",
]);
const actionSeconds = histogram("engine_action_duration_seconds", "Duration of one apply action", [
  "target",
  "kind",
  "action",
]);
const unknownOutcomes = counter(
  "engine_unknown_outcomes_total",
  "Writes whose outcome was unknown and was re-read",
  ["target", "kind", "action"],
);

const EXECUTED: ReadonlySet<PlannedAction["type"]> = new Set(["create", "update", "delete", "forget"]);

/**
 * Executes a plan: dependencies first, independent actions concurrently (bounded per target).
 * A write whose outcome is unknown (timeout, reset, 5xx after sending) is followed by a re-read
 * by natural key before anything is repeated, so a lost response never makes a duplicate.
 * Ownership is recorded before a create is sent, so even a crash right after the request leaves
 * the object recognisably ours. Every write is audited and measured.
 */
export async function executePlan(options: ExecuteOptions): Promise<ActionResult[]> {
  const kinds = new Map<string, ResourceKind>();
  for (const provider of options.providers)
    for (const kind of provider.kinds) kinds.set(kindId(provider.target, kind.kind), kind);
  const lanes = new WriteLanes(options.providers, options.concurrency ?? 8);
  const selected = selectActions(options.plan.actions, options.only);
  const byId = new Map(selected.map((action) => [action.id, action]));
  const written = new Map<string, unknown>();
  const results = new Map<string, ActionResult>();
  const total = selected.filter((action) => EXECUTED.has(action.type)).length;
  // Generated while the first writes are in flight; only an action that uses one of the
  // secrets waits for the batch (and fails, with the store's error, if the batch does).
  const generated = pregenerateSecrets(selected, options.secrets);
  generated.catch(() => undefined); // reported by the actions that need it, if any still run
  let done = 0;

  const running = new Map<string, Promise<ActionResult>>();
  const run = (action: PlannedAction): Promise<ActionResult> => {
    let promise = running.get(action.id);
    if (promise) return promise;
    promise = (async () => {
      const dependencies = await Promise.all(
        action.dependsOn.filter((id) => byId.has(id)).map((id) => run(byId.get(id) as PlannedAction)),
      );
      const blocked = dependencies.find(
        (result) => result.status === "failed" || result.status === "skipped",
      );
      let result: ActionResult;
      if (blocked) {
        result = skipped(action, `skipped: ${blocked.id} did not succeed`);
      } else if (action.type === "conflict" || action.type === "invalid") {
        const message = action.reason ?? action.type;
        result = { ...skipped(action, message), status: "failed", error: { kind: action.type, message } };
      } else if (!EXECUTED.has(action.type)) {
        result = {
          id: action.id,
          ref: action.ref,
          type: action.type,
          status: "unchanged",
          changes: [],
          attempts: 0,
          ms: 0,
        };
      } else if (options.signal?.aborted) {
        result = skipped(action, "skipped: interrupted");
      } else {
        const lane = lanes.laneFor(action.ref.target, action.ref.kind);
        result = await lane.admission.run(async () => {
          await lane.turns.next();
          if (options.signal?.aborted) return skipped(action, "skipped: interrupted");
          const started = () => options.onProgress?.({ type: "start", action, total });
          const { writes, turns } = lane;
          const step = { action, kinds, written, generated, writes, turns, started, options };
          return withAction(() => executeAction(step));
        });
      }
      results.set(action.id, result);
      if (EXECUTED.has(action.type) || result.status === "failed") {
        done += 1;
        options.onProgress?.({ type: "finish", result, done, total });
      }
      return result;
    })();
    running.set(action.id, promise);
    return promise;
  };

  await Promise.all(selected.map(run));
  return selected.map((action) => results.get(action.id) as ActionResult);
}

function selectActions(
  actions: readonly PlannedAction[],
  only: ReadonlySet<string> | undefined,
): PlannedAction[] {
  if (!only) return [...actions];
  const byId = new Map(actions.map((action) => [action.id, action]));
  const chosen = new Set<string>();
  const add = (id: string) => {
    if (chosen.has(id)) return;
    const action = byId.get(id);
    if (!action) return;
    chosen.add(id);
    // A targeted apply still needs what the target depends on (creates and updates only).
    for (const dependency of action.dependsOn) {
      const needed = byId.get(dependency);
      if (needed && needed.type !== "delete") add(dependency);
    }
  };
  for (const id of only) add(id);
  return actions.filter((action) => chosen.has(action.id));
}

function skipped(action: PlannedAction, message: string): ActionResult {
  return {
    id: action.id,
    ref: action.ref,
    type: action.type,
    status: "skipped",
    changes: action.changes,
    attempts: 0,
    ms: 0,
    error: { kind: "skipped", message },
  };
}

/** One action and what executing it needs. */
interface Step {
  readonly action: PlannedAction;
  readonly kinds: ReadonlyMap<string, ResourceKind>;
  readonly written: Map<string, unknown>;
  readonly generated: Promise<ReadonlyMap<string, string>>;
  /** Held around each remote call, and only then. */
  readonly writes: Semaphore;
  /** The lane's pacing of local work over turns of the event loop. */
  readonly turns: TurnSlicer;
  /** Reports the action started: when its first request is about to be sent. */
  readonly started: () => void;
  readonly options: ExecuteOptions;
}

async function executeAction(admitted: Step): Promise<ActionResult> {
  const { action, kinds, written, generated, options } = admitted;
  // An action's time runs from its first request (or, with nothing to send, from its start), not
  // from its admission: admitted actions wait for a write slot, and that wait is not theirs.
  let started = performance.now();
  const step: Step = {
    ...admitted,
    started: () => {
      started = performance.now();
      admitted.started();
    },
  };
  const { ref } = action;
  const kind = kinds.get(kindId(ref.target, ref.kind)) as ResourceKind;
  const session = options.sessions.get(ref.target);
  const labels = { target: ref.target, kind: ref.kind, action: action.type };
  const attempts = { count: 0 };
  const context: WriteContext = { storeSecret: (name, value) => options.secrets.set(name, value) };
  let after: unknown;
  let recorded: Promise<void> = Promise.resolve();
  let changes: FieldChange[] = [...action.changes];
  try {
    if (action.type === "forget") {
      step.started();
      await options.state.releaseOwnership(ref);
      await options.state.deleteDigests(ref);
    } else if (action.type === "delete") {
      await withUnknownOutcome(
        step,
        attempts,
        kind,
        session,
        async () => {
          await kind.delete(session, action.observed, context);
          return undefined;
        },
        async (current) => (current === undefined ? { done: true, value: undefined } : { done: false }),
      );
      await options.state.releaseOwnership(ref);
      await options.state.deleteDigests(ref);
    } else {
      const desired = action.desired as DesiredResource;
      const spec = await resolveSpec(desired.spec, {
        output: (output) => outputValue(output.$output, output.field, kinds, written, options.observation),
        generatedSecret: async (name, length) =>
          (await generated).get(name) ?? ensureGeneratedSecret(name, length, options.secrets),
      });
      if (action.type === "create") {
        if (kind.ownership !== "shared") {
          await options.state.recordOwnership({ ...ref, externalId: null, origin: "created" });
        }
        after = await withUnknownOutcome(
          step,
          attempts,
          kind,
          session,
          () => kind.create(session, spec, context),
          async (current) => (current === undefined ? { done: false } : { done: true, value: current }),
        );
      } else {
        let observed = action.observed;
        const digests = await currentDigests(options.state, ref);
        changes = kind.diff(spec, observed, digests);
        if (changes.length === 0) {
          after = observed; // the missing values became known and match: nothing to write
        } else {
          after = await withUnknownOutcome(
            step,
            attempts,
            kind,
            session,
            () => kind.update(session, spec, observed, changes, context),
            // after an unknown outcome `observed` and `changes` are refreshed from the re-read
            async (current) => {
              if (current === undefined) return { done: false };
              observed = current;
              const remaining = kind.diff(spec, current, digests);
              if (remaining.length === 0) return { done: true, value: current };
              changes = remaining;
              return { done: false };
            },
          );
        }
      }
      written.set(action.id, after);
      // The write is done and its slot passed on; the bookkeeping below (digests, state, audit)
      // waits for a later turn, a lane's slice of actions per turn, so answers already waiting
      // on other connections are read first and their slots passed on too. Run straight away,
      // every wave of answers (or a batch of 500 tiles) would queue behind it.
      await admitted.turns.next();
      // Ownership (kept "adopted" when it was) and digests in one transaction, which the audit
      // entry below joins: both are queued in this turn, so they commit together.
      recorded = options.state.recordApplied({
        ref,
        ...(kind.ownership === "shared" ? {} : { externalId: kind.idOf?.(after) ?? kind.keyOf(after) }),
        digests: [
          { field: "spec", digest: options.digest(spec) },
          ...Object.entries(kind.writeOnlyDigests?.(spec) ?? {}).map(([field, digest]) => ({
            field: `write-only:${field}`,
            digest,
          })),
        ],
      });
    }
    const ms = performance.now() - started;
    const audited = options.audit.append({
      actor: options.actor,
      action: action.type,
      target: ref.target,
      objectKey: `${ref.kind}/${ref.key}`,
      beforeDigest: action.observed === undefined ? null : options.digest(action.observed),
      afterDigest: after === undefined ? null : options.digest(after),
      outcome: "success",
      details: {
        fields: changes.map((change) => change.path),
        attempts: attempts.count,
        ...(action.drift ? { drift: true } : {}),
      },
    });
    await Promise.all([recorded, audited]);
    actionsTotal.inc({ ...labels, outcome: "success" });
    return {
      id: action.id,
      ref,
      type: action.type,
      status: "succeeded",
      changes,
      attempts: attempts.count,
      ms,
    };
  } catch (error) {
    // Nothing was sent. A create's ownership entry (recorded a moment ago) stays, as after a
    // crash at that point: the next plan sees the object missing and creates it.
    if (error instanceof InterruptedError) return skipped(action, error.message);
    const summary = writeErrorSummary(error);
    logger().warn({ action: action.id, type: action.type, error: summary.message }, "action failed");
    await options.audit.append({
      actor: options.actor,
      action: action.type,
      target: ref.target,
      objectKey: `${ref.kind}/${ref.key}`,
      beforeDigest: action.observed === undefined ? null : options.digest(action.observed),
      afterDigest: null,
      outcome: isUnknownOutcomeError(error) ? "unknown" : "failure",
      details: { error: summary.kind, attempts: attempts.count },
    });
    actionsTotal.inc({ ...labels, outcome: "failure" });
    return {
      id: action.id,
      ref,
      type: action.type,
      status: "failed",
      changes,
      attempts: attempts.count,
      ms: performance.now() - started,
      error: summary,
    };
  } finally {
    actionSeconds.observe(labels, (performance.now() - started) / 1000);
  }
}

/**
 * Runs a write; when its outcome is unknown, re-reads the object by natural key and lets
 * `settled` decide from what is there whether the write took effect, before trying again. The
 * write and the re-read each hold one of the target's write slots; an action still waiting for
 * its first slot when the apply is interrupted gives up instead of writing.
 */
async function withUnknownOutcome<T>(
  step: Step,
  attempts: { count: number },
  kind: ResourceKind,
  session: unknown,
  write: () => Promise<T>,
  settled: (current: unknown) => Promise<{ done: true; value: T } | { done: false }>,
): Promise<T> {
  const { options, writes } = step;
  const { ref } = step.action;
  const limit = (options.maxUnknownOutcomeRetries ?? 5) + 1;
  for (;;) {
    try {
      return await writes.run(() => {
        if (attempts.count === 0) {
          if (options.signal?.aborted) throw new InterruptedError();
          step.started();
        }
        attempts.count += 1;
        return write();
      });
    } catch (error) {
      if (!isUnknownOutcomeError(error) || attempts.count >= limit) throw error;
      unknownOutcomes.inc({ target: ref.target, kind: ref.kind, action: "write" });
      const current = await writes.run(() => readByKey(kind, session, ref.key));
      const verdict = await settled(current);
      logger().info(
        { object: refId(ref), committed: verdict.done },
        "outcome was unknown; re-read the object",
      );
      if (verdict.done) return verdict.value;
    }
  }
}

/** The apply was interrupted before this action's write was sent. */
class InterruptedError extends Error {
  constructor() {
    super("skipped: interrupted");
  }
}

export async function readByKey(kind: ResourceKind, session: unknown, key: string): Promise<unknown> {
  if (kind.read) return kind.read(session, key);
  return (await kind.list(session)).find((object) => kind.keyOf(object) === key);
}

function outputValue(
  ref: ResourceRef,
  field: string,
  kinds: ReadonlyMap<string, ResourceKind>,
  written: ReadonlyMap<string, unknown>,
  observation: Observation,
): unknown {
  const kind = kinds.get(kindId(ref.target, ref.kind)) as ResourceKind;
  const object =
    written.get(refId(ref)) ?? observation.objects.get(kindId(ref.target, ref.kind))?.get(ref.key);
  if (object === undefined) throw new Error(`${refId(ref)} is not available to read ${field} from`);
  return kind.output(object, field);
}

/**
 * Generates every secret the writes of this plan will need, in one batch: one durable store
 * write instead of one per secret (500 OIDC clients would otherwise re-encrypt the age file 500
 * times). A write that uses a secret waits for the batch: never a write before its secret is safe.
 * Returns every generated secret the plan uses, so the writes need not read the store again.
 */
async function pregenerateSecrets(
  actions: readonly PlannedAction[],
  secrets: SecretAccess,
): Promise<Map<string, string>> {
  const wanted = new Map<string, number>();
  for (const action of actions) {
    if (action.type !== "create" && action.type !== "update") continue;
    for (const secret of generatedSecretsIn(action.desired?.spec))
      wanted.set(secret.$generatedSecret, secret.length);
  }
  const known = await readSecrets(secrets, [...wanted.keys()]);
  const missing: [string, string][] = [];
  for (const [name, length] of wanted) {
    if (!known.has(name)) missing.push([name, generateSecretValue(length)]);
  }
  if (missing.length === 0) return known;
  if (secrets.setMany) await secrets.setMany(missing);
  else for (const [name, value] of missing) await secrets.set(name, value);
  for (const [name, value] of missing) known.set(name, value);
  return known;
}

/** The values of `names` that exist, with one read of the store where it can. */
export async function readSecrets(
  secrets: SecretAccess,
  names: readonly string[],
): Promise<Map<string, string>> {
  if (names.length === 0) return new Map();
  if (secrets.getMany) return secrets.getMany(names);
  const found = new Map<string, string>();
  await Promise.all(
    names.map(async (name) => {
      const value = await secrets.get(name);
      if (value !== undefined) found.set(name, value);
    }),
  );
  return found;
}

async function ensureGeneratedSecret(name: string, length: number, secrets: SecretAccess): Promise<string> {
  const existing = await secrets.get(name);
  if (existing !== undefined) return existing;
  // Stored before it is sent anywhere: a crash after the write must not lose the only copy.
  const value = generateSecretValue(length);
  await secrets.set(name, value);
  return value;
}

async function currentDigests(state: StateStore, ref: ResourceRef): Promise<Record<string, string>> {
  const digests: Record<string, string> = {};
  for (const entry of await state.listDigests(ref)) {
    if (entry.field.startsWith("write-only:"))
      digests[entry.field.slice("write-only:".length)] = entry.digest;
  }
  return digests;
}
