/**
 * One audit entry as a caller describes it. The audit log adds the sequence number, time,
 * correlation id and hash chain. Never put a secret value here: `before` and `after` are
 * digests of objects, and `details` passes through the redactor anyway.
 */
export interface AuditEventInput {
  /** Who did it: "cli:apply", "daemon:reconcile", "daemon:api:<client>", "user:<name>" */
  actor: string;
  /** What was done: "create", "update", "delete", "adopt", "secret.read", "secret.write", "login" ... */
  action: string;
  /** Which system: "authentik", "grafana", "homepage", "secrets", "daemon" */
  target: string;
  /** Which object: "application/grafana", "secret/grafana_token" */
  objectKey: string;
  /** sha256 (hex) of the canonical JSON of the object before and after, when there is one. */
  beforeDigest?: string | null;
  afterDigest?: string | null;
  outcome: "success" | "failure" | "unknown" | "denied";
  /** Small, non-secret facts: changed field names, error kind, HTTP status. */
  details?: Record<string, unknown>;
}

export interface AuditEntry extends AuditEventInput {
  seq: number;
  /** ISO-8601 UTC */
  at: string;
  correlationId: string | null;
  actionId: string | null;
  prevHash: string;
  hash: string;
}

/** What everything that records changes depends on; the SQLite audit log implements it. */
export interface AuditSink {
  append(event: AuditEventInput): Promise<AuditEntry>;
}
