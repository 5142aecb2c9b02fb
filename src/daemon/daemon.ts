import { randomBytes } from "node:crypto";
import { watch } from "node:fs";
import { hostname } from "node:os";
import { collectDefaultMetrics } from "prom-client";
import type { CommandContext } from "../cli/command-context.ts";
import { type Lab, openLab } from "../cli/lab.ts";
import { VERSION } from "../cli/version.ts";
import { AutopilotError, describeError } from "../errors/autopilot-error.ts";
import { createResiliencePipeline } from "../http/policies.ts";
import { logger } from "../observability/logger.ts";
import { registry } from "../observability/metrics.ts";
import { dockerClientFor } from "../providers/docker/engine-connection.ts";
import { alertChannelsFor } from "./alert-channels.ts";
import { Alerter } from "./alerts/alerter.ts";
import { breakerStates } from "./breaker-states.ts";
import { Debouncer } from "./debounce.ts";
import { watchContainerEvents } from "./healing/docker-events.ts";
import { Healer } from "./healing/healer.ts";
import { subjectFromLabels } from "./healing/healing-subject.ts";
import { ServiceHealth } from "./health/service-health.ts";
import { type PassResult, reconcilePass } from "./reconcile-loop.ts";
import { releaseMemory } from "./release-memory.ts";
import { EventBus } from "./server/event-bus.ts";
import { startStatusServer } from "./server/server.ts";
import type { Readiness, StatusDocument } from "./server/status-model.ts";

export interface RunningDaemon {
  url: string;
  /** Finishes the action in flight, stops everything, releases the lock. */
  stop(): Promise<void>;
}

const LOCK = "daemon";
const LOCK_TTL_MS = 30_000;

/**
 * `autopilot run`: reconciles on an interval and, debounced, on Docker events and config
 * changes; checks drift on its own interval and alerts when drift appears or is resolved;
 * heals containers; serves the status page. Only one daemon per state store (a lock with a TTL,
 * renewed while alive), so two never reconcile the same lab.
 */
export async function startDaemon(context: CommandContext): Promise<RunningDaemon> {
  const loaded = await context.config();
  const settings = loaded.config.daemon;
  if (!settings) {
    throw new AutopilotError("config", `${loaded.file} has no daemon: section`, {
      hint: 'add daemon: {token: "${secret:daemon_token}"} and create the token with `autopilot secrets set daemon_token --generate`',
    });
  }
  const state = await context.state();
  const holder = `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
  if (!(await state.acquireLock(LOCK, holder, LOCK_TTL_MS))) {
    throw new AutopilotError("state", `another autopilot daemon is already running against ${state.file}`, {
      hint: "stop the other daemon first (only one may reconcile a lab at a time)",
    });
  }
  const log = logger();
  // Process metrics (memory, CPU, event-loop lag, GC) for the daemon's own dashboard.
  if (!registry.getSingleMetric("autopilot_process_resident_memory_bytes")) {
    collectDefaultMetrics({ register: registry, prefix: "autopilot_" });
  }
  const audit = await context.audit();
  const resolver = await context.secrets();
  const token = await resolver.resolve(settings.token);
  const alerter = new Alerter(await alertChannelsFor(loaded.config, resolver));
  const events = new EventBus();
  const policies = loaded.config.policies;
  const controller = new AbortController();
  const startedAt = new Date().toISOString();
  const cleanups: (() => void | Promise<void>)[] = [];

  let lab: Lab = await openLab(context);
  let configChanged = false;
  let lastPass: PassResult | undefined;
  let driftIds = new Set<string>();
  const healerFor = new Map<string, Healer>();
  // A failing HTTP probe (autopilot.health) of a service in a container is healing's business
  // too: it reaches the healer as that container's health event.
  const health = new ServiceHealth({
    onProbeChange: (service, state) => {
      const container = service.container;
      const healer = container ? healerFor.get(container.endpoint) : undefined;
      if (!container || !healer) return;
      void healer.handle({
        id: container.id,
        name: container.name,
        action: "health_status",
        health: state,
        labels: {
          ...(service.heal === undefined ? {} : { "autopilot.heal": String(service.heal) }),
          "autopilot.name": service.name,
          "autopilot.depends_on": service.dependsOn.join(","),
        },
        timeNano: BigInt(Date.now()) * 1_000_000n,
      });
    },
  });
  health.update(lab.services);
  health.start();
  cleanups.push(() => health.stop());

  // Reconcile passes never overlap; a request while one runs makes one more run after it.
  let running: Promise<void> | undefined;
  let again = false;
  const runPass = async (reasons: string[]) => {
    if (controller.signal.aborted) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        if (configChanged) await reload();
        else await refreshLab();
        log.info({ reasons }, "reconcile pass");
        const pass = await reconcilePass(lab.reconcile, {
          remediate: policies.drift.remediate,
          signal: controller.signal,
        });
        lastPass = pass;
        await afterPass(pass);
        releaseMemory();
      } while (again && !controller.signal.aborted);
    })().finally(() => {
      running = undefined;
    });
    await running;
  };
  const debouncer = new Debouncer((reasons) => void runPass(reasons), 2000);

  // Containers come and go between passes: discover again, keep providers and breakers.
  const refreshLab = async () => {
    try {
      await lab.refresh();
      health.update(lab.services);
    } catch (error) {
      log.warn(
        { error: describeError(error) },
        "could not refresh the service catalogue; using the previous one",
      );
    }
  };

  const reload = async () => {
    configChanged = false;
    try {
      await context.reloadConfig();
      const next = await openLab(context);
      await lab.close();
      lab = next;
      health.update(lab.services);
      await alerter.resolve("config-invalid");
      events.publish("reconcile", { reason: "config reloaded" });
    } catch (error) {
      await alerter.raise({
        key: "config-invalid",
        severity: "warning",
        title: "homelab.yaml is invalid",
        message: `${describeError(error)}\nThe daemon keeps using the last valid config.`,
      });
    }
  };

  const afterPass = async (pass: PassResult) => {
    const current = new Set(pass.drift.map((action) => action.id));
    for (const action of pass.drift) {
      if (driftIds.has(action.id)) continue;
      await alerter.raise({
        key: `drift:${action.id}`,
        severity: "warning",
        title: `Drift: ${action.id}`,
        message: `${action.id} was changed outside Autopilot (${action.changes.map((c) => c.path).join(", ") || action.reason || action.type})${policies.drift.remediate ? "; repairing it" : "; run `autopilot apply` to repair it"}`,
        labels: { object: action.id },
      });
    }
    for (const id of driftIds)
      if (!current.has(id)) await alerter.resolve(`drift:${id}`, `${id} matches the config again`);
    driftIds = current;
    for (const provider of lab.reconcile.providers) {
      const failure = pass.unavailable.get(provider.target);
      const key = `target-down:${provider.target}`;
      if (failure) {
        await alerter.raise({
          key,
          severity: "critical",
          title: `${provider.target} is unavailable`,
          message: `Autopilot cannot reach ${provider.target}: ${describeError(failure).split("\n")[0]}. The other targets keep converging.`,
          labels: { target: provider.target },
        });
      } else await alerter.resolve(key, `${provider.target} is reachable again`);
    }
    events.publish("reconcile", { outcome: pass.outcome, changes: pass.changes });
    if (pass.drift.length > 0) events.publish("drift", { count: pass.drift.length });
  };

  // Drift on its own interval: a read-only plan; alerts only, repairs are the reconcile's job.
  const driftCheck = async () => {
    if (running || controller.signal.aborted) return;
    const pass = await reconcilePass(lab.reconcile, { remediate: false, dryRun: true });
    if (pass.outcome !== "failed") {
      lastPass = lastPass ? { ...lastPass, drift: pass.drift } : pass;
      await afterPass({ ...pass, changes: 0 });
    }
  };

  const every = (ms: number, work: () => void) => {
    const timer = setInterval(work, ms);
    cleanups.push(() => clearInterval(timer));
  };
  every(loaded.config.daemon?.reconcileInterval ?? 60_000, () => debouncer.trigger("interval"));
  every(policies.drift.interval, () => void driftCheck());
  every(LOCK_TTL_MS / 3, () => {
    state.acquireLock(LOCK, holder, LOCK_TTL_MS).then(
      (ok) => ok || log.error("lost the daemon lock to another process; stopping reconciles"),
      (error) => log.error({ error: (error as Error).message }, "could not renew the daemon lock"),
    );
  });

  const watcher = watch(loaded.file, () => {
    configChanged = true;
    debouncer.trigger("config changed");
  });
  cleanups.push(() => watcher.close());

  const docker = loaded.config.targets.docker;
  const healers: Healer[] = [];
  if (docker) {
    const pipeline = createResiliencePipeline("docker");
    for (const endpoint of docker.endpoints) {
      const client = await dockerClientFor(endpoint, docker.tls, loaded.resolvePath);
      const healer = new Healer({
        docker: client,
        policy: {
          maxRestarts: policies.healing.maxRestarts,
          windowMs: policies.healing.window,
          backoffMs: policies.healing.backoff,
        },
        subjectOf: (event) => subjectFromLabels(event, policies.healing.enabled),
        call: (work) => pipeline.execute(() => work(), { idempotent: true }),
        alerter,
        audit,
        events,
      });
      healers.push(healer);
      healerFor.set(endpoint, healer);
      const stop = watchContainerEvents(client, (event) => {
        health.containerEvent(event);
        void healer.handle(event);
        if (event.action !== "health_status") debouncer.trigger(`docker:${event.action}`);
      });
      cleanups.push(stop);
    }
  }

  const status = async (): Promise<StatusDocument> => {
    const breakers = await breakerStates();
    const auditTail = await state.audit.tail(20);
    const healing = healers.flatMap((healer) => healer.history()).sort((a, b) => b.at.localeCompare(a.at));
    const driftBy = (slug: string, name: string) =>
      (lastPass?.drift ?? []).some(
        (action) => action.origin?.startsWith(`service ${name} `) || action.ref.key === slug,
      );
    return {
      version: VERSION,
      startedAt,
      ...(lastPass
        ? {
            lastReconcile: {
              at: lastPass.at,
              durationMs: lastPass.durationMs,
              outcome: lastPass.outcome,
              changes: lastPass.changes,
            },
          }
        : {}),
      targets: lab.reconcile.providers.map((provider) => {
        const failure = lastPass?.unavailable.get(provider.target);
        return {
          name: provider.target,
          breaker: breakers.get(provider.target) ?? "closed",
          reachable: failure === undefined,
          ...(failure ? { lastError: describeError(failure).split("\n")[0] } : {}),
        };
      }),
      services: lab.services.map((service) => ({
        name: service.name,
        slug: service.slug,
        group: service.group,
        ...(service.href ? { href: service.href } : {}),
        health: health.get(service.slug),
        sso: service.sso,
        ...(service.widget ? { widget: service.widget.type } : {}),
        drift: driftBy(service.slug, service.name),
      })),
      drift: (lastPass?.drift ?? []).map((action) => ({
        id: action.id,
        fields: action.changes.map((change) => change.path),
      })),
      alerts: alerter.active().map((alert) => ({
        key: alert.key,
        severity: alert.severity,
        title: alert.title,
        startsAt: alert.startsAt,
      })),
      healing: healing.slice(0, 50),
      audit: auditTail.reverse().map((entry) => ({
        seq: entry.seq,
        at: entry.at,
        actor: entry.actor,
        action: entry.action,
        target: entry.target,
        objectKey: entry.objectKey,
        outcome: entry.outcome,
      })),
      graph: {
        nodes: lab.services.map((service) => service.name),
        edges: lab.services.flatMap((service) => service.dependsOn.map((to) => ({ from: service.name, to }))),
      },
    };
  };
  const readiness = (): Readiness => {
    const reasons: string[] = [];
    if (!lastPass) reasons.push("no reconcile pass has finished yet");
    else if (lastPass.outcome === "failed")
      reasons.push(`the last reconcile failed: ${lastPass.error ?? "unknown error"}`);
    for (const [target, error] of lastPass?.unavailable ?? [])
      reasons.push(`${target}: ${describeError(error).split("\n")[0]}`);
    return { ready: reasons.length === 0, reasons };
  };

  const [host = "127.0.0.1", port = "8300"] = splitListen(settings.listen);
  const server = await startStatusServer({
    host,
    port: Number(port),
    token,
    publicMetrics: settings.publicMetrics,
    source: { status, readiness, requestReconcile: (reason) => debouncer.trigger(reason) },
    registry,
    audit,
    events,
  });

  debouncer.trigger("start");
  debouncer.flush();

  return {
    url: server.url,
    stop: async () => {
      controller.abort();
      debouncer.cancel();
      for (const cleanup of cleanups.splice(0)) await cleanup();
      await running;
      await server.close();
      await alerter.close();
      await lab.close();
      await state.releaseLock(LOCK, holder);
      log.info("daemon stopped");
    },
  };
}

function splitListen(listen: string): [string, string] {
  const match = /^\[(.+)\]:(\d+)$/.exec(listen) ?? /^([^:]+):(\d+)$/.exec(listen);
  return match ? [match[1] as string, match[2] as string] : ["127.0.0.1", "8300"];
}
