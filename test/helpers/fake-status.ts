import type { Readiness, StatusDocument, StatusSource } from "../../src/daemon/server/status-model.ts";

/** A status source with fixed content, for server and browser tests. */
export function fakeStatusSource(overrides: Partial<StatusDocument> = {}): StatusSource & {
  document: StatusDocument;
  readinessValue: Readiness;
  reconcileRequests: string[];
} {
  const document: StatusDocument = {
    version: "0.1.0",
    startedAt: "2026-11-27T10:00:00.000Z",
    lastReconcile: { at: "2026-11-27T10:01:00.000Z", durationMs: 420, outcome: "converged", changes: 3 },
    targets: [{ name: "authentik", breaker: "closed", reachable: true }],
    services: [
      {
        name: "Grafana",
        slug: "grafana",
        group: "Monitoring",
        href: "https://grafana.lab.example.com",
        health: "healthy",
        sso: "oidc",
        widget: "grafana",
        drift: false,
      },
      {
        name: "Sonarr",
        slug: "sonarr",
        group: "Media",
        health: "unhealthy",
        sso: "proxy",
        drift: true,
        lastChange: "2026-11-27T09:00:00.000Z",
      },
    ],
    drift: [{ id: "authentik/application/sonarr", fields: ["metaLaunchUrl"] }],
    alerts: [],
    healing: [
      {
        at: "2026-11-27T10:02:00.000Z",
        service: "Sonarr",
        container: "sonarr",
        action: "restart",
        reason: "health check failed",
        attempt: 1,
      },
    ],
    audit: [
      {
        seq: 1,
        at: "2026-11-27T10:01:00.000Z",
        actor: "daemon:reconcile",
        action: "create",
        target: "authentik",
        objectKey: "application/grafana",
        outcome: "success",
      },
    ],
    graph: { nodes: ["Sonarr", "NAS"], edges: [{ from: "Sonarr", to: "NAS" }] },
    ...overrides,
  };
  const source = {
    document,
    readinessValue: { ready: true, reasons: [] } as Readiness,
    reconcileRequests: [] as string[],
    status: async () => source.document,
    readiness: () => source.readinessValue,
    requestReconcile: (reason: string) => {
      source.reconcileRequests.push(reason);
    },
  };
  return source;
}
