import type { HttpClient } from "../../http/types.ts";
import type { Alert, AlertChannel, Severity } from "./alert.ts";

export type ChannelType = "webhook" | "ntfy" | "gotify" | "slack" | "discord" | "alertmanager";

export interface ChannelSettings {
  name: string;
  type: ChannelType;
  /** Resolved URL (it may itself be a secret). */
  url: string;
  /** Resolved token, when the channel has one. */
  token?: string;
  minSeverity: Severity;
}

/** Builds the channel for a receiver type; every request goes through the given HTTP client. */
export function createChannel(settings: ChannelSettings, http: HttpClient): AlertChannel {
  const path = pathOf(settings.url);
  const send = FORMATS[settings.type];
  return {
    name: settings.name,
    type: settings.type,
    minSeverity: settings.minSeverity,
    send: (alert) => send(http, path, alert, settings.token),
    close: () => http.close(),
  };
}

type Sender = (http: HttpClient, path: string, alert: Alert, token: string | undefined) => Promise<void>;

const headline = (alert: Alert) => `${alert.status === "resolved" ? "RESOLVED: " : ""}${alert.title}`;

// Each POST is marked safe to retry: a duplicate notification is better than a lost one, and
// receivers (Alertmanager, ntfy) deduplicate or tolerate repeats.
const FORMATS: Record<ChannelType, Sender> = {
  async webhook(http, path, alert, token) {
    await http.request({
      method: "POST",
      path,
      safeToRetry: true,
      route: "/webhook",
      body: { version: 1, ...alert },
      ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
    });
  },
  async ntfy(http, path, alert, token) {
    // ntfy's JSON publishing goes to the server root with the topic in the body.
    const [topic = "", ...rest] = path.split("/").filter(Boolean);
    if (rest.length > 0) throw new Error("an ntfy URL is https://server/topic");
    await http.request({
      method: "POST",
      path: "/",
      route: "/ntfy",
      safeToRetry: true,
      body: {
        topic,
        title: headline(alert),
        message: alert.message,
        priority: alert.status === "resolved" ? 2 : { info: 3, warning: 4, critical: 5 }[alert.severity],
        tags: [
          alert.status === "resolved"
            ? "white_check_mark"
            : alert.severity === "critical"
              ? "rotating_light"
              : "warning",
        ],
      },
      ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
    });
  },
  async gotify(http, path, alert, token) {
    await http.request({
      method: "POST",
      path: `${path.replace(/\/+$/, "")}/message`,
      route: "/gotify/message",
      safeToRetry: true,
      body: {
        title: headline(alert),
        message: alert.message,
        priority: alert.status === "resolved" ? 2 : { info: 3, warning: 6, critical: 9 }[alert.severity],
      },
      ...(token ? { headers: { "x-gotify-key": token } } : {}),
    });
  },
  async slack(http, path, alert) {
    await http.request({
      method: "POST",
      path,
      route: "/slack",
      safeToRetry: true,
      body: { text: `*${headline(alert)}* (${alert.severity})\n${alert.message}` },
    });
  },
  async discord(http, path, alert) {
    await http.request({
      method: "POST",
      path,
      route: "/discord",
      safeToRetry: true,
      body: {
        content: `**${headline(alert)}** (${alert.severity})\n${alert.message}`,
        allowed_mentions: { parse: [] },
      },
    });
  },
  async alertmanager(http, path, alert) {
    await http.request({
      method: "POST",
      path: `${path.replace(/\/+$/, "")}/api/v2/alerts`,
      route: "/api/v2/alerts",
      safeToRetry: true,
      body: [
        {
          labels: {
            alertname: alert.title,
            severity: alert.severity,
            source: "autopilot",
            key: alert.key,
            ...alert.labels,
          },
          annotations: { summary: alert.title, description: alert.message },
          startsAt: alert.startsAt,
          ...(alert.endsAt ? { endsAt: alert.endsAt } : {}),
        },
      ],
    });
  },
};

function pathOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}` || "/";
}

/** The base URL the HTTP client for a channel talks to. */
export function originOf(url: string): string {
  return new URL(url).origin;
}
