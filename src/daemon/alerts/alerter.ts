import { TokenBucket } from "../../http/rate-limit.ts";
import { logger } from "../../observability/logger.ts";
import { counter } from "../../observability/metrics.ts";
import { type Alert, type AlertChannel, SEVERITY_RANK, type Severity } from "./alert.ts";

const alertsSent = counter("alerts_sent_total", "Alert notifications sent, by channel and outcome", [
  "channel",
  "status",
  "outcome",
]);

export interface RaiseInput {
  key: string;
  severity: Severity;
  title: string;
  message: string;
  labels?: Record<string, string>;
}

export interface AlerterOptions {
  /** Notifications per channel per minute (token bucket); excess ones are dropped and counted. */
  perMinute?: number;
  /** Send a still-firing alert again after this long (0: never). */
  repeatAfterMs?: number;
  now?: () => number;
}

/**
 * Decides when to notify: once when a condition starts (deduplicated by key while active),
 * once when it resolves, again only after `repeatAfterMs`; rate-limited per channel so a
 * flapping lab cannot flood a phone. Sending failures are logged and counted, never thrown:
 * alerting must not break the loop that raised the alert.
 */
export class Alerter {
  readonly #channels: readonly AlertChannel[];
  readonly #active = new Map<string, { alert: Alert; lastSent: number }>();
  readonly #buckets = new Map<string, TokenBucket>();
  readonly #options: Required<Omit<AlerterOptions, "now">> & { now: () => number };
  readonly #history: Alert[] = [];

  constructor(channels: readonly AlertChannel[], options: AlerterOptions = {}) {
    this.#channels = channels;
    this.#options = {
      perMinute: options.perMinute ?? 20,
      repeatAfterMs: options.repeatAfterMs ?? 0,
      now: options.now ?? Date.now,
    };
  }

  /** Alerts currently firing. */
  active(): Alert[] {
    return [...this.#active.values()].map((entry) => entry.alert);
  }

  /** The newest notifications decided (firing and resolved), newest last, at most 200. */
  history(): Alert[] {
    return [...this.#history];
  }

  async raise(input: RaiseInput): Promise<void> {
    const now = this.#options.now();
    const existing = this.#active.get(input.key);
    if (existing) {
      const repeat = this.#options.repeatAfterMs;
      if (repeat === 0 || now - existing.lastSent < repeat) return;
      existing.lastSent = now;
      await this.#deliver(existing.alert);
      return;
    }
    const alert: Alert = {
      key: input.key,
      severity: input.severity,
      title: input.title,
      message: input.message,
      labels: input.labels ?? {},
      status: "firing",
      startsAt: new Date(now).toISOString(),
    };
    this.#active.set(input.key, { alert, lastSent: now });
    await this.#deliver(alert);
  }

  async resolve(key: string, message?: string): Promise<void> {
    const entry = this.#active.get(key);
    if (!entry) return;
    this.#active.delete(key);
    const now = new Date(this.#options.now()).toISOString();
    await this.#deliver({ ...entry.alert, status: "resolved", endsAt: now, ...(message ? { message } : {}) });
  }

  isActive(key: string): boolean {
    return this.#active.has(key);
  }

  async close(): Promise<void> {
    await Promise.all(this.#channels.map((channel) => channel.close()));
  }

  async #deliver(alert: Alert): Promise<void> {
    this.#history.push(alert);
    if (this.#history.length > 200) this.#history.shift();
    await Promise.all(
      this.#channels.map(async (channel) => {
        if (SEVERITY_RANK[alert.severity] < SEVERITY_RANK[channel.minSeverity]) return;
        if (!this.#bucket(channel.name).tryTake()) {
          alertsSent.inc({ channel: channel.name, status: alert.status, outcome: "rate-limited" });
          logger().warn(
            { channel: channel.name, alert: alert.key },
            "alert dropped: channel rate limit reached",
          );
          return;
        }
        try {
          await channel.send(alert);
          alertsSent.inc({ channel: channel.name, status: alert.status, outcome: "sent" });
        } catch (error) {
          alertsSent.inc({ channel: channel.name, status: alert.status, outcome: "failed" });
          logger().error(
            { channel: channel.name, alert: alert.key, error: (error as Error).message },
            "alert could not be sent",
          );
        }
      }),
    );
  }

  #bucket(channel: string): TokenBucket {
    let bucket = this.#buckets.get(channel);
    if (!bucket) {
      const perMinute = this.#options.perMinute;
      bucket = new TokenBucket(
        { perSecond: perMinute / 60, burst: Math.max(1, Math.min(perMinute, 10)) },
        {
          now: this.#options.now,
          sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        },
      );
      this.#buckets.set(channel, bucket);
    }
    return bucket;
  }
}
