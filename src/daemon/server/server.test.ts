import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fakeStatusSource } from "../../../test/helpers/fake-status.ts";
import { recordingAudit } from "../../../test/helpers/recording-audit.ts";
import { createHttpClient } from "../../http/client.ts";
import type { HttpClient } from "../../http/types.ts";
import type { AuditEventInput } from "../../observability/audit/audit-event.ts";
import { counter, registry } from "../../observability/metrics.ts";
import { redactor } from "../../secrets/redactor.ts";
import { EventBus } from "./event-bus.ts";
import { type StatusServer, startStatusServer } from "./server.ts";

const TOKEN = "daemon-token-0123456789abcdef";

describe("daemon HTTP server", () => {
  let server: StatusServer;
  let http: HttpClient;
  let audited: AuditEventInput[];
  let recorder: ReturnType<typeof recordingAudit>;
  let source: ReturnType<typeof fakeStatusSource>;
  let events: EventBus;

  async function start(options: { publicMetrics?: boolean } = {}) {
    recorder = recordingAudit();
    audited = recorder.events;
    source = fakeStatusSource();
    events = new EventBus();
    server = await startStatusServer({
      host: "127.0.0.1",
      port: 0,
      token: TOKEN,
      publicMetrics: options.publicMetrics ?? false,
      source,
      registry,
      events,
      audit: recorder,
    });
    http = createHttpClient({
      target: "daemon-test",
      baseUrl: server.url,
      resilience: { retry: { maxAttempts: 1 } },
    });
  }
  const get = (path: string, headers: Record<string, string> = {}) =>
    http
      .request({ method: "GET", path, headers })
      .catch((error) => ({ status: error.status, body: error.body, headers: {} }));
  const bearer = { authorization: `Bearer ${TOKEN}` };

  beforeEach(() => start());
  afterEach(async () => {
    await http.close();
    await server.close();
    redactor.clear();
  });

  it("answers the probes without a token", async () => {
    expect(await get("/healthz")).toMatchObject({ status: 200, body: "ok" });
    expect(await get("/readyz")).toMatchObject({ status: 200, body: { ready: true } });
    source.readinessValue = { ready: false, reasons: ["grafana: circuit breaker open"] };
    expect(await get("/readyz")).toMatchObject({
      status: 503,
      body: { ready: false, reasons: ["grafana: circuit breaker open"] },
    });
  });

  it("refuses everything else without the token, and sends browsers to the login page", async () => {
    for (const path of ["/api/status", "/metrics", "/", "/assets/app.js", "/api/events"]) {
      expect((await get(path)).status, path).toBe(401);
    }
    const wrong = await get("/api/status", { authorization: "Bearer nope" });
    expect(wrong.status).toBe(401);
    const browser = await get("/", { accept: "text/html" });
    expect(browser).toMatchObject({ status: 303 });
    expect((await http.request({ method: "POST", path: "/api/reconcile" }).catch((e) => e)).status).toBe(401);
    expect(source.reconcileRequests).toEqual([]);
  });

  it("has no route besides the probes and the login that works without the token", async () => {
    const open = new Set([
      "GET /healthz",
      "GET /readyz",
      "GET /login",
      "POST /login",
      "GET /assets/login.js",
      "GET /assets/style.css",
      "POST /logout",
    ]);
    expect(server.routes.length).toBeGreaterThan(open.size);
    for (const route of server.routes) {
      if (open.has(route)) continue;
      const [method = "GET", path = "/"] = route.split(" ");
      const answer = await http
        .request({ method: method as "GET", path, ...(method === "POST" ? { body: {} } : {}) })
        .catch((error) => ({ status: error.status }));
      expect(answer.status, route).toBe(401);
    }
    expect(source.reconcileRequests).toEqual([]);
  });

  it("serves the status and the page with the token, with security headers", async () => {
    const status = await http.request({ method: "GET", path: "/api/status", headers: bearer });
    expect(status.body).toMatchObject({ services: [{ name: "Grafana" }, { name: "Sonarr" }] });
    for (const header of [
      "content-security-policy",
      "x-frame-options",
      "x-content-type-options",
      "referrer-policy",
    ]) {
      expect(status.headers[header], header).toBeTruthy();
    }
    expect(status.headers["cache-control"]).toBe("no-store");
    const page = await http.request<string>({ method: "GET", path: "/", headers: bearer });
    expect(page.body).toContain("<title>Homelab Autopilot</title>");
  });

  it("masks registered secrets in the status document and in /metrics", async () => {
    redactor.register("leaky-secret-value-42");
    source.document.services[0]!.name = "leaky-secret-value-42";
    counter("test_leak_total", "x", ["label"]).inc({ label: "leaky-secret-value-42" });
    const status = await http.request<string>({ method: "GET", path: "/api/status", headers: bearer });
    expect(JSON.stringify(status.body)).not.toContain("leaky-secret-value-42");
    const metrics = await http.request<string>({ method: "GET", path: "/metrics", headers: bearer });
    expect(metrics.body).not.toContain("leaky-secret-value-42");
  });

  it("logs in with the token, audits the login, and throttles repeated failures", async () => {
    // Node's fetch here: the test looks at the raw redirect and cookie the server sends.
    const login = await fetch(`${server.url}/login`, {
      method: "POST",
      body: new URLSearchParams({ token: TOKEN }),
      redirect: "manual",
    });
    expect(login.status).toBe(303);
    expect(login.headers.get("location")).toBe("/");
    const cookie = login.headers.get("set-cookie") ?? "";
    expect(cookie).toContain("HttpOnly; SameSite=Strict");
    const session = cookie.split(";")[0] ?? "";
    expect(
      (await http.request({ method: "GET", path: "/api/status", headers: { cookie: session } })).status,
    ).toBe(200);
    for (let i = 0; i < 5; i++) {
      expect(
        (
          await http
            .request({ method: "POST", path: "/login", body: { token: `wrong-${i}` } })
            .catch((e) => e)
        ).status,
      ).toBe(401);
    }
    const throttled = await http
      .request({ method: "POST", path: "/login", body: { token: TOKEN } })
      .catch((e) => e);
    expect(throttled.status).toBe(429);
    expect(audited.map((e) => e.outcome)).toEqual([
      "success",
      "denied",
      "denied",
      "denied",
      "denied",
      "denied",
      "denied",
    ]);
    expect(JSON.stringify(audited)).not.toContain("wrong-");
  });

  it("accepts a reconcile request with the token, and refuses one from another site's page", async () => {
    expect((await http.request({ method: "POST", path: "/api/reconcile", headers: bearer })).status).toBe(
      202,
    );
    const crossSite = await http
      .request({
        method: "POST",
        path: "/api/reconcile",
        headers: { ...bearer, origin: "https://evil.example" },
      })
      .catch((e) => e);
    expect(crossSite.status).toBe(403);
    expect(source.reconcileRequests).toHaveLength(1);
  });

  it("serves /metrics without the token only when configured to", async () => {
    await http.close();
    await server.close();
    await start({ publicMetrics: true });
    expect((await get("/metrics")).status).toBe(200);
    expect((await get("/api/status")).status).toBe(401);
  });

  it("streams events to subscribers and lets them go when they disconnect", async () => {
    // Node's fetch: the event stream never ends, and the client under test reads bodies whole.
    const controller = new AbortController();
    const response = await fetch(`${server.url}/api/events`, { headers: bearer, signal: controller.signal });
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const reader = response.body!.getReader();
    await reader.read(); // the ": connected" comment
    events.publish("healing", { service: "Sonarr" });
    const { value } = await reader.read();
    expect(new TextDecoder().decode(value)).toContain('event: healing\ndata: {"type":"healing"');
    controller.abort();
    await reader.cancel().catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(events.subscribers).toBe(0);
  });
});
