import type { AuditEntry, AuditEventInput, AuditSink } from "../../src/observability/audit/audit-event.ts";

/** An audit sink that keeps the events in memory, for tests that check what was audited. */
export function recordingAudit(): AuditSink & { events: AuditEventInput[] } {
  const events: AuditEventInput[] = [];
  return {
    events,
    async append(event): Promise<AuditEntry> {
      events.push(event);
      return {
        ...event,
        seq: events.length,
        at: new Date().toISOString(),
        correlationId: null,
        actionId: null,
        prevHash: "",
        hash: "",
      };
    },
  };
}
