import type { Service } from "../../catalog/service.ts";
import { createHttpClient } from "../../http/client.ts";
import type { HttpClient } from "../../http/types.ts";
import { serviceUp } from "../../observability/service-up-metric.ts";
import type { ContainerEvent } from "../healing/docker-events.ts";

export type ServiceHealthState = "healthy" | "unhealthy" | "starting" | "unknown";

export interface ServiceHealthOptions {
  /** Milliseconds between two rounds of HTTP probes (default 30 s). */
  intervalMs?: number;
  /** Per probe (default 5 s). */
  timeoutMs?: number;
  /** Builds the HTTP client for one origin; tests inject theirs. */
  clientFor?: (origin: string) => HttpClient;
  /** Told when a service's HTTP probe changes verdict (healing acts on it for containers). */
  onProbeChange?: (service: Service, state: "healthy" | "unhealthy") => void;
}

/**
 * The health of every service, from two sources: Docker's HEALTHCHECK events for services that
 * run in a container, and an HTTP probe of the `health` URL (`autopilot.health`) — a 2xx or 3xx
 * answer is healthy. A service is unhealthy when either source says so. Monitored services
 * publish `autopilot_service_up`, which the built-in dashboard and "down" rules read.
 */
export class ServiceHealth {
  readonly #options: Required<Omit<ServiceHealthOptions, "clientFor" | "onProbeChange">> & {
    clientFor: (origin: string) => HttpClient;
  };
  readonly #onProbeChange: ServiceHealthOptions["onProbeChange"];
  readonly #clients = new Map<string, HttpClient>();
  readonly #docker = new Map<string, ServiceHealthState>();
  readonly #http = new Map<string, ServiceHealthState>();
  #services: readonly Service[] = [];
  #timer: NodeJS.Timeout | undefined;

  constructor(options: ServiceHealthOptions = {}) {
    this.#onProbeChange = options.onProbeChange;
    this.#options = {
      intervalMs: options.intervalMs ?? 30_000,
      timeoutMs: options.timeoutMs ?? 5_000,
      clientFor:
        options.clientFor ??
        ((origin) =>
          createHttpClient({
            target: `health:${new URL(origin).host}`,
            baseUrl: origin,
            resilience: { timeoutMs: this.#options.timeoutMs, retry: { maxAttempts: 1 } },
          })),
    };
  }

  /** The catalogue changed: remember the services and what their containers report. */
  update(services: readonly Service[]): void {
    this.#services = services;
    for (const service of services) {
      const health = service.container?.health;
      if (health && !this.#docker.has(service.slug)) this.#docker.set(service.slug, asState(health));
    }
    this.#publish();
  }

  /** A Docker event for one container (from the daemon's event stream). */
  containerEvent(event: ContainerEvent): void {
    const service = this.#services.find(
      (s) => s.container?.name === event.name || s.container?.id === event.id,
    );
    if (!service) return;
    if (event.health) this.#docker.set(service.slug, event.health);
    else if (event.action === "die") this.#docker.set(service.slug, "unhealthy");
    else if (event.action === "start") this.#docker.set(service.slug, "starting");
    this.#publish();
  }

  get(slug: string): ServiceHealthState {
    const docker = this.#docker.get(slug);
    const http = this.#http.get(slug);
    if (docker === "unhealthy" || http === "unhealthy") return "unhealthy";
    if (docker === "starting") return "starting";
    if (docker === "healthy" || http === "healthy") return "healthy";
    return "unknown";
  }

  /** One round of HTTP probes, all services at once. */
  async probe(): Promise<void> {
    await Promise.all(
      this.#services
        .filter((service) => service.health)
        .map(async (service) => {
          const url = new URL(service.health as string);
          let client = this.#clients.get(url.origin);
          if (!client) {
            client = this.#options.clientFor(url.origin);
            this.#clients.set(url.origin, client);
          }
          let state: "healthy" | "unhealthy";
          try {
            await client.request({
              method: "GET",
              path: `${url.pathname}${url.search}`,
              route: "/health",
              anonymous: true,
            });
            state = "healthy";
          } catch {
            state = "unhealthy";
          }
          const before = this.#http.get(service.slug);
          this.#http.set(service.slug, state);
          // Unhealthy is reported on every failing round (healing's budget and backoff decide),
          // healthy only when it changes.
          if (state === "unhealthy" || before === "unhealthy") this.#onProbeChange?.(service, state);
        }),
    );
    this.#publish();
  }

  start(): void {
    void this.probe();
    this.#timer = setInterval(() => void this.probe(), this.#options.intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await Promise.all([...this.#clients.values()].map((client) => client.close()));
    this.#clients.clear();
  }

  #publish(): void {
    for (const service of this.#services) {
      if (!service.monitor) continue;
      const state = this.get(service.slug);
      if (state === "unknown" || state === "starting") continue;
      serviceUp.set({ service: service.slug }, state === "healthy" ? 1 : 0);
    }
  }
}

function asState(health: string): ServiceHealthState {
  return health === "healthy" || health === "unhealthy" || health === "starting" ? health : "unknown";
}
