import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  MemoryTarget,
  memoryKind,
  memoryProvider,
  type MemoryTarget as Target,
} from "../../test/helpers/memory-provider.ts";
import { AuditLog } from "../observability/audit/audit-log.ts";
import { verifyAuditChain } from "../observability/audit/audit-verify.ts";
import { openSqliteStateStore, type SqliteStateStore } from "../state/sqlite-state-store.ts";
import type { ActionResult } from "./execute.ts";
import { connectProviders } from "./observe.ts";
import { applyPlan, converged, preparePlan, type ReconcileContext } from "./reconcile.ts";
import { type DesiredResource, generatedSecret, outputOf } from "./resource.ts";

const group = (key: string, fields: Record<string, unknown> = {}): DesiredResource => ({
  ref: { target: "lab", kind: "group", key },
  spec: { key, ...fields },
});
const provider = (key: string): DesiredResource => ({
  ref: { target: "lab", kind: "provider", key },
  spec: { key, secret: generatedSecret(`${key}_secret`, 32) },
});
const application = (key: string, providerKey: string): DesiredResource => ({
  ref: { target: "lab", kind: "application", key },
  spec: { key, provider: outputOf({ target: "lab", kind: "provider", key: providerKey }, "id") },
});

describe("reconcile engine", () => {
  let target: Target;
  let state: SqliteStateStore;
  let secrets: Map<string, string>;
  let context: (desired: DesiredResource[]) => ReconcileContext;

  beforeEach(async () => {
    target = new MemoryTarget();
    state = await openSqliteStateStore(join(mkdtempSync(join(tmpdir(), "engine-")), "state.db"));
    secrets = new Map();
    const providers = [
      memoryProvider(target, "lab", [
        memoryKind("group"),
        memoryKind("provider", { sensitiveFields: ["secret"] }),
        memoryKind("application", { dependsOnKinds: ["provider"] }),
      ]),
    ];
    context = (desired) => ({
      providers,
      desired,
      state,
      audit: new AuditLog(state.audit),
      actor: "test",
      secrets: {
        get: async (name) => secrets.get(name),
        set: async (name, value) => {
          secrets.set(name, value);
        },
      },
    });
  });
  afterEach(async () => state.close());

  async function apply(desired: DesiredResource[], options: Parameters<typeof applyPlan>[2] = {}) {
    const prepared = await preparePlan(context(desired));
    const results = await applyPlan(context(desired), prepared, options);
    return { prepared, results, converged: converged(results, prepared.plan) };
  }

  const statuses = (results: readonly ActionResult[]) =>
    Object.fromEntries(results.map((r) => [r.id, `${r.type}:${r.status}`]));

  it("creates everything in dependency order, then a second run writes nothing", async () => {
    const desired = [
      application("grafana", "grafana-oidc"),
      provider("grafana-oidc"),
      group("admins", { superuser: true }),
    ];
    const first = await apply(desired);
    expect(first.converged).toBe(true);
    expect(target.writes.map((w) => `${w.op} ${w.kind}/${w.key}`)).toEqual(
      expect.arrayContaining([
        "create group/admins",
        "create provider/grafana-oidc",
        "create application/grafana",
      ]),
    );
    const order = target.writes.map((w) => w.kind);
    expect(order.indexOf("provider")).toBeLessThan(order.indexOf("application"));
    const providerObject = target.table("provider").get("grafana-oidc");
    expect(target.table("application").get("grafana")?.provider).toBe(providerObject?.id);
    expect(providerObject?.secret).toBe(secrets.get("grafana-oidc_secret"));

    target.writes.length = 0;
    const second = await apply(desired);
    expect(second.prepared.plan.actions.every((a) => a.type === "noop")).toBe(true);
    expect(target.writes).toEqual([]);
    expect((await verifyAuditChain(state.audit)).ok).toBe(true);
  });

  it("lists each kind once per plan instead of reading objects one by one", async () => {
    await apply([group("a"), group("b"), group("c")]);
    target.lists = 0;
    await preparePlan(context([group("a"), group("b"), group("c")]));
    expect(target.lists).toBe(1);
  });

  it("plans with connections already under way instead of connecting again", async () => {
    const base = context([group("a")]);
    let connects = 0;
    const counted = base.providers.map((p) => ({
      ...p,
      connect: () => {
        connects += 1;
        return p.connect();
      },
    }));
    const early = connectProviders(counted);
    const prepared = await preparePlan({ ...base, providers: counted, connect: () => early });
    expect(connects).toBe(1);
    expect(prepared.plan.actions.map((a) => `${a.type} ${a.id}`)).toEqual(["create lab/group/a"]);
  });

  it("calls every kind's prepare before it lists anything (lists may read details only for prepared keys)", async () => {
    const prepared = new Set<string>();
    const preparedWhenListed: number[] = [];
    const base = memoryKind("group");
    const noting = {
      ...base,
      prepare: (_session: unknown, spec: Record<string, unknown>) => {
        prepared.add(String(spec.key));
        return spec;
      },
      list: async (session: Target) => {
        preparedWhenListed.push(prepared.size);
        return base.list(session);
      },
    };
    const desired = Array.from({ length: 600 }, (_, i) => group(`g${i}`));
    const plan = await preparePlan({
      ...context(desired),
      providers: [memoryProvider(target, "lab", [noting])],
    });
    expect(plan.plan.actions).toHaveLength(600);
    expect(preparedWhenListed).toEqual([600]);
  });

  it("queues a written object's state record and its audit entry together, so they share a commit", async () => {
    const events: string[] = [];
    const base = context([group("g")]);
    const audit = new AuditLog(state.audit);
    const recordApplied: SqliteStateStore["recordApplied"] = async (entry) => {
      events.push("state queued");
      await state.recordApplied(entry);
      events.push("state committed");
    };
    const watched = {
      ...base,
      state: new Proxy(state, {
        get: (store, name) => {
          if (name === "recordApplied") return recordApplied;
          const value = Reflect.get(store, name);
          return typeof value === "function" ? value.bind(store) : value;
        },
      }),
      audit: {
        append: (event: Parameters<AuditLog["append"]>[0]) => {
          events.push(`audit ${event.outcome}`);
          return audit.append(event);
        },
      },
    };
    const results = await applyPlan(watched, await preparePlan(watched));
    expect(results[0]?.status).toBe("succeeded");
    expect(events).toEqual(["state queued", "audit success", "state committed"]);
    expect((await verifyAuditChain(state.audit)).ok).toBe(true);
  });

  it("masks generated secrets in the plan and stores them before the write that uses them", async () => {
    target.fail("provider", "create", { commit: false, times: 10 });
    const { results } = await apply([provider("p")]);
    expect(results[0]?.status).toBe("failed");
    expect(secrets.get("p_secret")).toMatch(/^[A-Za-z0-9]{32}$/); // kept although every write failed
    const prepared = await preparePlan(context([provider("p")]));
    const change = prepared.plan.actions[0]?.changes.find((c) => c.path === "secret");
    expect(change).toMatchObject({ sensitive: true, after: secrets.get("p_secret") });
  });

  it("generates every missing secret in one batch before the first write", async () => {
    const batches: string[][] = [];
    const base = context([provider("a"), provider("b"), provider("c")]);
    const withBatches = {
      ...base,
      secrets: {
        ...base.secrets,
        setMany: async (entries: readonly (readonly [string, string])[]) => {
          batches.push(entries.map(([name]) => name));
          for (const [name, value] of entries) secrets.set(name, value);
        },
      },
    };
    const prepared = await preparePlan(withBatches);
    const results = await applyPlan(withBatches, prepared);
    expect(results.every((r) => r.status === "succeeded")).toBe(true);
    expect(batches).toEqual([["a_secret", "b_secret", "c_secret"]]);
    expect(target.table("provider").get("b")?.secret).toBe(secrets.get("b_secret"));
  });

  it("writes what needs no generated secret while the batch is stored, and nothing whose secret was not", async () => {
    let storeFails!: () => void;
    const storing = new Promise<void>((resolve) => {
      storeFails = resolve;
    });
    const base = context([group("g"), provider("p"), application("app", "p")]);
    const failing = {
      ...base,
      secrets: {
        ...base.secrets,
        setMany: async () => {
          await storing;
          throw new Error("secret store: disk full");
        },
      },
    };
    const running = applyPlan(failing, await preparePlan(failing));
    // The group's create does not wait for the secret store.
    await vi.waitFor(() => expect(target.writes.map((w) => w.kind)).toEqual(["group"]));
    storeFails();
    const results = await running;
    expect(statuses(results)).toEqual({
      "lab/group/g": "create:succeeded",
      "lab/provider/p": "create:failed",
      "lab/application/app": "create:skipped",
    });
    expect(results.find((r) => r.id === "lab/provider/p")?.error?.message).toContain("disk full");
    expect(target.writes.map((w) => w.kind)).toEqual(["group"]);
    expect(secrets.has("p_secret")).toBe(false);
  });

  it("re-reads after a lost response instead of creating twice", async () => {
    target.fail("group", "create", { commit: true });
    const { results, converged: ok } = await apply([group("admins")]);
    expect(ok).toBe(true);
    expect(results[0]).toMatchObject({ status: "succeeded", attempts: 1 });
    expect(target.table("group").size).toBe(1);
    expect(target.writes.filter((w) => w.op === "create")).toHaveLength(1);
    expect(
      (await state.getOwnership({ target: "lab", kind: "group", key: "admins" }))?.externalId,
    ).not.toBeNull();
  });

  it("retries a create that was not committed after re-reading, and gives up after the limit", async () => {
    target.fail("group", "create", { commit: false, times: 2 });
    const retried = await apply([group("once")]);
    expect(retried.results[0]).toMatchObject({ status: "succeeded", attempts: 3 });
    expect(target.table("group").size).toBe(1);

    target.fail("group", "create", { commit: false, times: 10 });
    const failed = await apply([group("once"), group("never")]);
    expect(statuses(failed.results)["lab/group/never"]).toBe("create:failed");
    expect(failed.converged).toBe(false);
    expect(target.table("group").has("never")).toBe(false);
  });

  it("treats an update whose response was lost as done when the re-read matches", async () => {
    await apply([group("g", { superuser: false })]);
    target.fail("group", "update", { commit: true });
    const { results } = await apply([group("g", { superuser: true })]);
    expect(results[0]).toMatchObject({ type: "update", status: "succeeded" });
    expect(target.writes.filter((w) => w.op === "update")).toHaveLength(1);
  });

  it("never touches an object it did not create, until adopted", async () => {
    target.putByHand("group", "family", { superuser: true });
    const { prepared, results } = await apply([group("family", { superuser: false })]);
    expect(prepared.plan.actions[0]).toMatchObject({ type: "conflict" });
    expect(prepared.plan.actions[0]?.reason).toContain("autopilot adopt lab/group/family");
    expect(results[0]?.status).toBe("failed");
    expect(target.table("group").get("family")?.superuser).toBe(true);

    await state.recordOwnership({
      target: "lab",
      kind: "group",
      key: "family",
      externalId: null,
      origin: "adopted",
    });
    const adopted = await apply([group("family", { superuser: false })]);
    expect(adopted.converged).toBe(true);
    expect(target.table("group").get("family")?.superuser).toBe(false);
  });

  it("deletes only what it owns when it leaves the config, applications before their providers", async () => {
    await apply([application("app", "prov"), provider("prov"), group("keep")]);
    target.putByHand("group", "foreign", {});
    target.writes.length = 0;
    const { results } = await apply([group("keep")]);
    expect(statuses(results)).toEqual({
      "lab/group/keep": "noop:unchanged",
      "lab/application/app": "delete:succeeded",
      "lab/provider/prov": "delete:succeeded",
    });
    expect(target.writes.map((w) => `${w.op} ${w.kind}`)).toEqual(["delete application", "delete provider"]);
    expect(target.table("group").has("foreign")).toBe(true);
    expect(await state.listOwned({ kind: "provider" })).toEqual([]);
  });

  it("forgets an owned object deleted by hand once it left the config", async () => {
    await apply([group("gone")]);
    target.table("group").delete("gone");
    const { results } = await apply([]);
    expect(results).toEqual([expect.objectContaining({ type: "forget", status: "succeeded" })]);
    expect(await state.listOwned()).toEqual([]);
  });

  it("marks a change made behind its back as drift and a config change as not drift", async () => {
    await apply([group("g", { superuser: false }), group("h", { superuser: false })]);
    target
      .table("group")
      .set("g", { ...(target.table("group").get("g") as { id: number; key: string }), superuser: true });
    target.table("group").delete("h");
    const drifted = await preparePlan(
      context([group("g", { superuser: false }), group("h", { superuser: false })]),
    );
    expect(drifted.plan.actions.map((a) => [a.id, a.type, a.drift])).toEqual([
      ["lab/group/g", "update", true],
      ["lab/group/h", "create", true],
    ]);
    const edited = await preparePlan(
      context([group("g", { superuser: true, extra: 1 }), group("h", { superuser: false })]),
    );
    expect(edited.plan.actions[0]).toMatchObject({ type: "update", drift: false });
  });

  it("skips what depends on a failed action and converges the rest", async () => {
    target.fail("provider", "create", { commit: false, times: 10 });
    const { results, converged: ok } = await apply([
      application("app", "prov"),
      provider("prov"),
      group("independent"),
    ]);
    expect(ok).toBe(false);
    expect(statuses(results)).toEqual({
      "lab/application/app": "create:skipped",
      "lab/provider/prov": "create:failed",
      "lab/group/independent": "create:succeeded",
    });
    const skipped = results.find((r) => r.id === "lab/application/app");
    expect(skipped?.error?.message).toContain("lab/provider/prov did not succeed");
  });

  it("keeps concurrent writes to one target within the limit", async () => {
    target.writeDelayMs = 5;
    const groups = Array.from({ length: 20 }, (_, i) => group(`g${i}`));
    await apply(groups, { concurrency: 3 });
    expect(target.maxInFlight).toBe(3);
    expect(target.table("group").size).toBe(20);
  });

  it("lets a provider with local, batched writes set its own limit", async () => {
    target.writeDelayMs = 5;
    const groups = Array.from({ length: 20 }, (_, i) => group(`g${i}`));
    const base = context(groups);
    const unthrottled = {
      ...base,
      providers: base.providers.map((provider) => ({
        ...provider,
        writeConcurrency: Number.POSITIVE_INFINITY,
      })),
    };
    const prepared = await preparePlan(unthrottled);
    await applyPlan(unthrottled, prepared, { concurrency: 3 });
    expect(target.maxInFlight).toBe(20);
    expect(target.table("group").size).toBe(20);
  });

  it("holds a write slot only for the request: the next actions record ownership meanwhile", async () => {
    target.writeDelayMs = 10;
    const writesInFlightAtRecord: number[] = [];
    const record = state.recordOwnership.bind(state);
    vi.spyOn(state, "recordOwnership").mockImplementation(async (entry) => {
      writesInFlightAtRecord.push(target.inFlight);
      await record(entry);
    });
    await apply(
      Array.from({ length: 12 }, (_, i) => group(`g${i}`)),
      { concurrency: 2 },
    );
    expect(target.maxInFlight).toBe(2);
    expect(Math.max(...writesInFlightAtRecord)).toBe(2);
    expect(target.table("group").size).toBe(12);
  });

  it("lets a kind whose writes its provider batches wait without holding the target's slots", async () => {
    target.writeDelayMs = 5;
    const batched = { ...memoryKind("binding"), writeConcurrency: Number.POSITIVE_INFINITY };
    const lab = memoryProvider(target, "lab", [memoryKind("group"), batched]);
    const binding = (key: string): DesiredResource => ({
      ref: { target: "lab", kind: "binding", key },
      spec: { key },
    });
    const desired = [
      ...Array.from({ length: 10 }, (_, i) => group(`g${i}`)),
      ...Array.from({ length: 10 }, (_, i) => binding(`b${i}`)),
    ];
    const ctx = { ...context(desired), providers: [lab] };
    const results = await applyPlan(ctx, await preparePlan(ctx), { concurrency: 1 });
    expect(converged(results, (await preparePlan(ctx)).plan)).toBe(true);
    expect(target.maxInFlightByKind.get("group")).toBe(1);
    expect(target.maxInFlightByKind.get("binding")).toBe(10);
  });

  it("times an action from its first request, not from the wait for a write slot", async () => {
    target.writeDelayMs = 20;
    const startedAt = new Map<string, number>();
    const finishedAt = new Map<string, number>();
    const { results } = await apply(
      Array.from({ length: 4 }, (_, i) => group(`g${i}`)),
      {
        concurrency: 1,
        onProgress: (event) => {
          if (event.type === "start") startedAt.set(event.action.id, performance.now());
          else finishedAt.set(event.result.id, performance.now());
        },
      },
    );
    for (const result of results) {
      const between = (finishedAt.get(result.id) ?? 0) - (startedAt.get(result.id) ?? Number.NaN);
      // Within the action's own start and finish events; the queued ones waited a whole write before.
      expect(result.ms, result.id).toBeLessThanOrEqual(between + 1);
    }
  });

  it("starts nothing new once aborted, and lets the actions in flight finish", async () => {
    target.writeDelayMs = 20;
    const controller = new AbortController();
    let started = 0;
    const groups = Array.from({ length: 10 }, (_, i) => group(`g${i}`));
    const { results } = await apply(groups, {
      concurrency: 2,
      signal: controller.signal,
      onProgress: (event) => {
        if (event.type === "start" && ++started === 2) controller.abort();
      },
    });
    expect(results.filter((r) => r.status === "succeeded")).toHaveLength(2);
    expect(
      results.filter((r) => r.status === "skipped").every((r) => r.error?.message === "skipped: interrupted"),
    ).toBe(true);
    expect(target.table("group").size).toBe(2);
  });

  it("applies only the targeted action and what it needs", async () => {
    const desired = [application("app", "prov"), provider("prov"), group("other")];
    const prepared = await preparePlan(context(desired));
    const results = await applyPlan(context(desired), prepared, { only: new Set(["lab/application/app"]) });
    expect(results.map((r) => r.id).sort()).toEqual(["lab/application/app", "lab/provider/prov"]);
    expect(target.table("group").size).toBe(0);
  });

  it("plans nothing for an unreachable target and says so", async () => {
    target.down = true;
    const prepared = await preparePlan(context([group("g")]));
    expect(prepared.plan.actions).toEqual([]);
    expect([...prepared.plan.unavailable.keys()]).toEqual(["lab"]);
    expect(converged([], prepared.plan)).toBe(false);
  });

  it("lets a kind turn names into ids before planning, and marks a resource it cannot resolve invalid", async () => {
    const base = memoryKind("binding");
    const flows: Record<string, number> = { "default-flow": 42 };
    const binding = {
      ...base,
      prepare: (_session: unknown, spec: Record<string, unknown>) => {
        const id = flows[String(spec.flow)];
        if (id === undefined) throw new Error(`flow ${String(spec.flow)} does not exist`);
        return { ...spec, flow: id };
      },
    };
    const providers = [memoryProvider(target, "lab", [binding])];
    const desired: DesiredResource[] = [
      { ref: { target: "lab", kind: "binding", key: "ok" }, spec: { key: "ok", flow: "default-flow" } },
      { ref: { target: "lab", kind: "binding", key: "bad" }, spec: { key: "bad", flow: "missing" } },
    ];
    const withKind = { ...context(desired), providers };
    const prepared = await preparePlan(withKind);
    expect(prepared.plan.actions.map((a) => [a.id, a.type, a.reason])).toEqual([
      ["lab/binding/ok", "create", undefined],
      ["lab/binding/bad", "invalid", "flow missing does not exist"],
    ]);
    const results = await applyPlan(withKind, prepared);
    expect(statuses(results)).toEqual({
      "lab/binding/ok": "create:succeeded",
      "lab/binding/bad": "invalid:failed",
    });
    expect(target.table("binding").get("ok")?.flow).toBe(42);
  });

  it("audits every write with digests, never values, and the chain verifies", async () => {
    await apply([provider("p")]);
    const entries = await state.audit.tail(10);
    expect(entries).toEqual([
      expect.objectContaining({
        action: "create",
        target: "lab",
        objectKey: "provider/p",
        outcome: "success",
        beforeDigest: null,
      }),
    ]);
    expect(entries[0]?.afterDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(entries)).not.toContain(secrets.get("p_secret"));
  });
});
