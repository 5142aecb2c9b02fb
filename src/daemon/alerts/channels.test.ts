import { afterEach, describe, expect, it } from "vitest";
import { createHttpClient } from "../../http/client.ts";
import { parseJsonBody, type SimServer, startSimServer } from "../../sandbox/common/sim-server.ts";
import type { Alert } from "./alert.ts";
import { type ChannelType, createChannel, originOf } from "./channels.ts";

const firing: Alert = {
  key: "drift:authentik/application/grafana",
  severity: "warning",
  title: "Drift in authentik",
  message: "authentik/application/grafana changed outside Autopilot",
  labels: { target: "authentik" },
  status: "firing",
  startsAt: "2026-11-27T10:00:00.000Z",
};

describe("alert channels", () => {
  let receiver: SimServer;
  const received: { path: string; headers: Record<string, unknown>; body: unknown }[] = [];
  afterEach(async () => {
    received.length = 0;
    await receiver?.close();
  });

  async function deliver(type: ChannelType, path: string, alert: Alert, token?: string) {
    receiver = await startSimServer({
      name: "receiver",
      handler: (request) => {
        received.push({ path: request.path, headers: request.headers, body: parseJsonBody(request) });
        return { status: 200, body: {} };
      },
    });
    const url = `${receiver.url}${path}`;
    const channel = createChannel(
      { name: type, type, url, minSeverity: "info", ...(token ? { token } : {}) },
      createHttpClient({ target: `alert:${type}`, baseUrl: originOf(url) }),
    );
    await channel.send(alert);
    await channel.close();
    return received[0];
  }

  it("posts a versioned JSON document to a generic webhook, with a bearer token", async () => {
    const got = await deliver("webhook", "/hooks/autopilot", firing, "hook-token-1234");
    expect(got?.path).toBe("/hooks/autopilot");
    expect(got?.headers.authorization).toBe("Bearer hook-token-1234");
    expect(got?.body).toEqual({ version: 1, ...firing });
  });

  it("publishes to an ntfy topic with title, priority and tags", async () => {
    const got = await deliver("ntfy", "/lab-alerts", { ...firing, severity: "critical" }, "tk_ntfy_token");
    expect(got?.path).toBe("/");
    expect(got?.body).toEqual({
      topic: "lab-alerts",
      title: "Drift in authentik",
      message: firing.message,
      priority: 5,
      tags: ["rotating_light"],
    });
    expect(got?.headers.authorization).toBe("Bearer tk_ntfy_token");
  });

  it("sends Gotify messages with its key header and a resolved title", async () => {
    const got = await deliver("gotify", "/gotify", { ...firing, status: "resolved" }, "gotify-app-token");
    expect(got?.path).toBe("/gotify/message");
    expect(got?.headers["x-gotify-key"]).toBe("gotify-app-token");
    expect(got?.body).toMatchObject({ title: "RESOLVED: Drift in authentik", priority: 2 });
  });

  it("formats Slack and Discord webhooks, with no @mentions on Discord", async () => {
    const slack = await deliver("slack", "/services/T/B/X", firing);
    expect(slack?.body).toEqual({ text: `*Drift in authentik* (warning)\n${firing.message}` });
    await receiver.close();
    received.length = 0;
    const discord = await deliver("discord", "/api/webhooks/1/abc", firing);
    expect(discord?.body).toMatchObject({ allowed_mentions: { parse: [] } });
  });

  it("posts Alertmanager v2 alerts with labels and, when resolved, an end time", async () => {
    const got = await deliver("alertmanager", "", {
      ...firing,
      status: "resolved",
      endsAt: "2026-11-27T10:05:00.000Z",
    });
    expect(got?.path).toBe("/api/v2/alerts");
    expect(got?.body).toEqual([
      {
        labels: {
          alertname: "Drift in authentik",
          severity: "warning",
          source: "autopilot",
          key: firing.key,
          target: "authentik",
        },
        annotations: { summary: "Drift in authentik", description: firing.message },
        startsAt: firing.startsAt,
        endsAt: "2026-11-27T10:05:00.000Z",
      },
    ]);
  });

  it("refuses an ntfy URL with more than a topic", async () => {
    await expect(deliver("ntfy", "/a/b", firing)).rejects.toThrow("https://server/topic");
  });
});
