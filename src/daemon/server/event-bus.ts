import { EventEmitter } from "node:events";

/** What the daemon announces to `/api/events` subscribers (the status page refreshes on each). */
export interface DaemonEvent {
  type: "reconcile" | "drift" | "healing" | "alert" | "audit" | "breaker";
  at: string;
  data: Record<string, unknown>;
}

export class EventBus {
  readonly #emitter = new EventEmitter();

  constructor() {
    // Each open status page is one listener; a lab's few browsers stay far below this.
    this.#emitter.setMaxListeners(200);
  }

  publish(type: DaemonEvent["type"], data: Record<string, unknown> = {}): void {
    this.#emitter.emit("event", { type, at: new Date().toISOString(), data } satisfies DaemonEvent);
  }

  subscribe(listener: (event: DaemonEvent) => void): () => void {
    this.#emitter.on("event", listener);
    return () => this.#emitter.off("event", listener);
  }

  get subscribers(): number {
    return this.#emitter.listenerCount("event");
  }
}
