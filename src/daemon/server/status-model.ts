/**
 * What the daemon tells the status page and `/api/status`: plain data, never a secret (the
 * document is passed through the redactor on the way out anyway).
 */
export interface ServiceStatus {
  name: string;
  slug: string;
  group: string;
  href?: string;
  health: "healthy" | "unhealthy" | "starting" | "unknown";
  sso: "oidc" | "proxy" | "none";
  widget?: string;
  drift: boolean;
  lastChange?: string;
}

export interface TargetStatus {
  name: string;
  breaker: "closed" | "open" | "half-open";
  reachable: boolean;
  lastError?: string;
}

export interface HealingEvent {
  at: string;
  service: string;
  container: string;
  action: "restart" | "gave-up" | "skipped";
  reason: string;
  attempt?: number;
}

export interface StatusDocument {
  version: string;
  startedAt: string;
  lastReconcile?: {
    at: string;
    durationMs: number;
    outcome: "converged" | "partial" | "failed";
    changes: number;
  };
  targets: TargetStatus[];
  services: ServiceStatus[];
  drift: { id: string; fields: string[] }[];
  alerts: { key: string; severity: string; title: string; startsAt: string }[];
  healing: HealingEvent[];
  audit: {
    seq: number;
    at: string;
    actor: string;
    action: string;
    target: string;
    objectKey: string;
    outcome: string;
  }[];
  graph: { nodes: string[]; edges: { from: string; to: string }[] };
}

export interface Readiness {
  ready: boolean;
  reasons: string[];
}

/** Where the server reads the daemon's state from; the daemon implements it. */
export interface StatusSource {
  status(): Promise<StatusDocument>;
  readiness(): Readiness;
  /** Asks for a reconcile as soon as possible (the daemon debounces). */
  requestReconcile(reason: string): void;
}
