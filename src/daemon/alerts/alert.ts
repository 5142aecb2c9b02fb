/**
 * An alert Autopilot raises about the lab: new drift, a spent restart budget, a target down.
 * `key` identifies the condition, so raising it again while it is active is not a new alert
 * (deduplication) and resolving it sends one "resolved" notification.
 */
export type Severity = "info" | "warning" | "critical";

export interface Alert {
  key: string;
  severity: Severity;
  title: string;
  message: string;
  labels: Record<string, string>;
  status: "firing" | "resolved";
  /** ISO-8601 */
  startsAt: string;
  endsAt?: string;
}

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

/** Delivers alerts to one receiver. Implementations format; the Alerter decides when. */
export interface AlertChannel {
  readonly name: string;
  readonly type: string;
  readonly minSeverity: Severity;
  send(alert: Alert): Promise<void>;
  close(): Promise<void>;
}
