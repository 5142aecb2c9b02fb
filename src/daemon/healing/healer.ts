import type Docker from "dockerode";
import type { AuditSink } from "../../observability/audit/audit-event.ts";
import { logger } from "../../observability/logger.ts";
import { counter, histogram } from "../../observability/metrics.ts";
import type { Alerter } from "../alerts/alerter.ts";
import type { EventBus } from "../server/event-bus.ts";
import type { HealingEvent } from "../server/status-model.ts";
import type { ContainerEvent } from "./docker-events.ts";
import { namesOf } from "./healing-subject.ts";
import { type BudgetPolicy, RestartBudget } from "./restart-budget.ts";

const healingActions = counter("healing_actions_total", "Self-healing decisions, by action", ["action"]);
const detectionSeconds = histogram(
  "healing_detection_seconds",
  "From Docker's health_status: unhealthy event to the restart call",
  [],
  [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
);

/** What healing needs to know about a container, read from its labels. */
export interface HealingSubject {
  /** Service name, for people. */
  service: string;
  /** Opted in (label autopilot.heal=true, or the policy with no autopilot.heal=false). */
  heal: boolean;
  /** Container names this one needs. */
  dependsOn: string[];
}

export interface HealerOptions {
  docker: Docker;
  policy: BudgetPolicy;
  /** The subject for a container, or undefined when it is not one Autopilot looks after. */
  subjectOf(event: ContainerEvent): HealingSubject | undefined;
  /** Runs the restart call; the daemon passes the Docker resilience pipeline here. */
  call<T>(work: () => Promise<T>): Promise<T>;
  alerter: Alerter;
  audit: AuditSink;
  events: EventBus;
  /** Seconds Docker waits after SIGTERM before SIGKILL on restart (default 10). */
  stopTimeoutSeconds?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

type Health = "healthy" | "unhealthy" | "starting" | "stopped";

/**
 * Restarts containers whose Docker HEALTHCHECK turns unhealthy — within a restart budget per
 * window, with exponential backoff, dependencies first: a container whose dependency is itself
 * unhealthy is left alone (restarting it could not help) until the dependency recovers. When the
 * budget is spent it stops and raises a critical alert. Reacts to Docker's event stream.
 */
export class Healer {
  readonly #options: HealerOptions;
  readonly #budget: RestartBudget;
  readonly #health = new Map<string, Health>();
  readonly #pending = new Set<string>();
  /** dependency name → containers waiting for it to recover */
  readonly #waiting = new Map<string, Map<string, ContainerEvent>>();
  readonly #history: HealingEvent[] = [];
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(options: HealerOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#budget = new RestartBudget(options.policy, this.#now);
  }

  history(): HealingEvent[] {
    return [...this.#history];
  }

  healthOf(container: string): Health | undefined {
    return this.#health.get(container);
  }

  /** Restarts scheduled or running right now (the daemon waits for them on shutdown). */
  get busy(): number {
    return this.#pending.size;
  }

  async handle(event: ContainerEvent): Promise<void> {
    if (event.action === "destroy") {
      this.#health.delete(event.name);
      this.#budget.forget(event.name);
      return;
    }
    const setHealth = (health: Health) => {
      for (const name of namesOf(event)) this.#health.set(name, health);
    };
    if (event.action === "die") setHealth("stopped");
    if (event.action === "start") setHealth("starting");
    if (event.action !== "health_status" || !event.health) return;
    setHealth(event.health);
    if (event.health === "healthy") {
      await this.#recovered(event);
      return;
    }
    if (event.health === "unhealthy") await this.#unhealthy(event);
  }

  async #recovered(event: ContainerEvent): Promise<void> {
    const key = budgetAlertKey(event.name);
    if (this.#options.alerter.isActive(key))
      await this.#options.alerter.resolve(key, `${event.name} is healthy again`);
    for (const name of namesOf(event)) {
      const waiting = this.#waiting.get(name);
      if (!waiting) continue;
      this.#waiting.delete(name);
      for (const dependent of waiting.values()) {
        if (this.#health.get(dependent.name) === "unhealthy") await this.#unhealthy(dependent);
      }
    }
  }

  async #unhealthy(event: ContainerEvent): Promise<void> {
    const subject = this.#options.subjectOf(event);
    if (!subject?.heal || this.#pending.has(event.name)) return;
    const blocker = subject.dependsOn.find((dependency) => {
      const health = this.#health.get(dependency);
      return health === "unhealthy" || health === "stopped";
    });
    if (blocker) {
      const waiting = this.#waiting.get(blocker) ?? new Map<string, ContainerEvent>();
      const first = !waiting.has(event.name);
      waiting.set(event.name, event);
      this.#waiting.set(blocker, waiting);
      if (first)
        await this.#record(event, subject, "skipped", `waiting for its dependency ${blocker} to recover`);
      return;
    }
    if (this.#budget.spent(event.name)) {
      const key = budgetAlertKey(event.name);
      if (!this.#options.alerter.isActive(key)) {
        const used = this.#budget.used(event.name);
        await this.#record(
          event,
          subject,
          "gave-up",
          `restart budget spent (${used} restarts in the window)`,
        );
        await this.#options.alerter.raise({
          key,
          severity: "critical",
          title: `${subject.service} keeps failing`,
          message: `${event.name} was restarted ${used} time(s) and is still unhealthy; Autopilot stopped restarting it`,
          labels: { service: subject.service, container: event.name },
        });
      }
      return;
    }
    this.#pending.add(event.name);
    try {
      const delay = this.#budget.nextDelayMs(event.name);
      const attempt = this.#budget.record(event.name);
      if (delay > 0) await this.#sleep(delay);
      if (this.#health.get(event.name) !== "unhealthy") return; // recovered, or gone, while we waited
      detectionSeconds.observe(Math.max(0, (this.#now() - Number(event.timeNano / 1_000_000n)) / 1000));
      try {
        await this.#options.call(() =>
          this.#options.docker.getContainer(event.id).restart({ t: this.#options.stopTimeoutSeconds ?? 10 }),
        );
        await this.#record(event, subject, "restart", "Docker reports it unhealthy", attempt);
      } catch (error) {
        await this.#record(
          event,
          subject,
          "restart",
          `restart failed: ${(error as Error).message}`,
          attempt,
          "failure",
        );
      }
    } finally {
      this.#pending.delete(event.name);
    }
  }

  async #record(
    event: ContainerEvent,
    subject: HealingSubject,
    action: HealingEvent["action"],
    reason: string,
    attempt?: number,
    outcome: "success" | "failure" = "success",
  ): Promise<void> {
    const entry: HealingEvent = {
      at: new Date(this.#now()).toISOString(),
      service: subject.service,
      container: event.name,
      action,
      reason,
      ...(attempt === undefined ? {} : { attempt }),
    };
    this.#history.push(entry);
    if (this.#history.length > 200) this.#history.shift();
    healingActions.inc({ action });
    logger().info({ container: event.name, action, reason }, "healing");
    await this.#options.audit.append({
      actor: "daemon:healing",
      action: `heal.${action}`,
      target: "docker",
      objectKey: `container/${event.name}`,
      outcome,
      details: { reason, ...(attempt === undefined ? {} : { attempt }) },
    });
    this.#options.events.publish("healing", { ...entry });
  }
}

export function budgetAlertKey(container: string): string {
  return `heal-budget:${container}`;
}
