import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import packageJson from "../../package.json" with { type: "json" };
import { withCorrelation } from "../observability/context.ts";
import { createLogger, memoryDestination, setLogger } from "../observability/logger.ts";
import { registry } from "../observability/metrics.ts";
import {
  type SimHandler,
  type SimRequest,
  type SimServer,
  startSimServer,
} from "../sandbox/common/sim-server.ts";
import { redactor } from "../secrets/redactor.ts";
import { createHttpClient, USER_AGENT } from "./client.ts";
import {
  AuthFailedError,
  ConflictError,
  type HttpError,
  InvalidError,
  NotFoundError,
  UnavailableError,
} from "./errors.ts";
import type { HttpClient, TargetHttpOptions } from "./types.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function harness(
  handler: SimHandler,
  options: Partial<TargetHttpOptions> = {},
): Promise<{ sim: SimServer; client: HttpClient; seen: SimRequest[] }> {
  const seen: SimRequest[] = [];
  const sim = await startSimServer({
    name: "sim",
    handler: (request) => {
      seen.push(request);
      return handler(request);
    },
  });
  const client = createHttpClient(
    { target: "sim", baseUrl: sim.url, resilience: { retry: { maxAttempts: 3 } }, ...options },
    { sleep: async () => {} },
  );
  cleanups.push(async () => {
    await client.close();
    await sim.close();
  });
  return { sim, client, seen };
}

async function rejection(promise: Promise<unknown>): Promise<HttpError> {
  return promise.then(
    () => expect.unreachable("the call should have failed"),
    (error: unknown) => error as HttpError,
  );
}

const ok: SimHandler = () => ({ status: 200, body: { ok: true } });

describe("requests", () => {
  it("sends path, repeated query keys, JSON body and the standard headers", async () => {
    const { client, seen } = await harness(ok);
    await client.request({
      method: "POST",
      path: "/api/v3/core/users/",
      query: { groups: ["a", "b"], page: 2, active: true, skip: undefined },
      body: { username: "alice" },
    });
    const request = seen[0];
    expect(request?.method).toBe("POST");
    expect(request?.path).toBe("/api/v3/core/users/");
    expect(request?.query.getAll("groups")).toEqual(["a", "b"]);
    expect(request?.query.toString()).toBe("groups=a&groups=b&page=2&active=true");
    expect(JSON.parse(request?.rawBody.toString() ?? "")).toEqual({ username: "alice" });
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(request?.headers.accept).toBe("application/json");
    expect(request?.headers["user-agent"]).toBe(`homelab-autopilot/${packageJson.version}`);
    expect(USER_AGENT).toBe(`homelab-autopilot/${packageJson.version}`);
  });

  it("puts requests under the base URL's own path", async () => {
    const seen: string[] = [];
    const sim = await startSimServer({
      name: "prefixed",
      handler: (request) => {
        seen.push(`${request.path}?${request.query}`);
        return { status: 204 };
      },
    });
    const client = createHttpClient({ target: "prefixed", baseUrl: `${sim.url}/grafana/` });
    cleanups.push(async () => {
      await client.close();
      await sim.close();
    });
    await client.request({ method: "DELETE", path: "/api/folders/x?force=true", query: { a: 1 } });
    expect(seen).toEqual(["/grafana/api/folders/x?force=true&a=1"]);
  });

  it("sends no body and no content type without a body", async () => {
    const { client, seen } = await harness(ok);
    await client.request({ method: "GET", path: "/" });
    expect(seen[0]?.rawBody.length).toBe(0);
    expect(seen[0]?.headers["content-type"]).toBeUndefined();
  });

  it("reads the target's headers again for every attempt, so a renewed token is used", async () => {
    let token = 0;
    let calls = 0;
    const { client, seen } = await harness(
      () => (++calls === 1 ? { status: 503, body: {} } : { status: 200, body: {} }),
      {
        headers: async () => ({ Authorization: `Bearer token-${++token}` }),
      },
    );
    await client.request({ method: "GET", path: "/" });
    expect(seen.map((request) => request.headers.authorization)).toEqual([
      "Bearer token-1",
      "Bearer token-2",
    ]);
  });

  it("leaves out the target's authentication headers on an anonymous request", async () => {
    let asked = 0;
    const { client, seen } = await harness(ok, {
      headers: () => {
        asked += 1;
        return { Authorization: "Bearer secret-token" };
      },
    });
    await client.request({ method: "GET", path: "/health", anonymous: true });
    await client.request({ method: "GET", path: "/private" });
    expect(seen[0]?.headers.authorization).toBeUndefined();
    expect(seen[1]?.headers.authorization).toBe("Bearer secret-token");
    expect(asked).toBe(1);
  });

  it("lets a request's own headers override the defaults", async () => {
    const { client, seen } = await harness(ok);
    await client.request({ method: "GET", path: "/", headers: { Accept: "text/plain" } });
    expect(seen[0]?.headers.accept).toBe("text/plain");
  });
});

describe("responses", () => {
  it("parses JSON, returns text otherwise, and undefined when empty", async () => {
    const { client } = await harness((request) => {
      if (request.path === "/json")
        return {
          status: 200,
          body: { a: 1 },
          headers: { "content-type": "application/vnd.x+json; charset=utf-8" },
        };
      if (request.path === "/text") return { status: 200, text: "Ok" };
      return { status: 204 };
    });
    expect((await client.request({ method: "GET", path: "/json" })).body).toEqual({ a: 1 });
    expect((await client.request({ method: "GET", path: "/text" })).body).toBe("Ok");
    const empty = await client.request({ method: "DELETE", path: "/x" });
    expect(empty.status).toBe(204);
    expect(empty.body).toBeUndefined();
    expect((await client.request({ method: "HEAD", path: "/json" })).body).toBeUndefined();
  });

  it("refuses a body that claims to be JSON and is not", async () => {
    const { client } = await harness(() => ({
      status: 200,
      text: "<html>login</html>",
      headers: { "content-type": "application/json" },
    }));
    const error = await rejection(client.request({ method: "GET", path: "/" }));
    expect(error).toBeInstanceOf(InvalidError);
    expect(error.hint).toContain("proxy or login page");
  });

  it("returns response headers with lower-case names", async () => {
    const { client } = await harness(() => ({ status: 200, body: {}, headers: { "X-Total": "7" } }));
    expect((await client.request({ method: "GET", path: "/" })).headers["x-total"]).toBe("7");
  });
});

describe("error mapping", () => {
  it.each([
    [400, InvalidError, "invalid"],
    [401, AuthFailedError, "auth"],
    [403, AuthFailedError, "auth"],
    [404, NotFoundError, "not-found"],
    [405, InvalidError, "invalid"],
    [409, ConflictError, "conflict"],
    [410, NotFoundError, "not-found"],
    [412, ConflictError, "conflict"],
    [413, InvalidError, "invalid"],
    [415, InvalidError, "invalid"],
    [418, InvalidError, "invalid"],
    [422, InvalidError, "invalid"],
    [301, InvalidError, "invalid"],
  ])("maps %i to %o, not retried", async (status, errorClass, kind) => {
    const { client, sim } = await harness(() => ({
      status,
      body: { detail: `status ${status}` },
      headers: status === 301 ? { location: "https://elsewhere.example/" } : ({} as Record<string, string>),
    }));
    const error = await rejection(client.request({ method: "GET", path: "/api/x/" }));
    expect(error).toBeInstanceOf(errorClass);
    expect(error.kind).toBe(kind);
    expect(error.status).toBe(status);
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(new RegExp(`^sim GET /api/x/ → ${status} .+: status ${status}$`));
    expect(error.hint).toBeTruthy();
    expect(sim.log.all()).toHaveLength(1);
  });

  it("maps 408 to a rejected, retried UnavailableError", async () => {
    const { client, sim } = await harness(() => ({ status: 408, body: {} }));
    const error = await rejection(client.request({ method: "POST", path: "/", body: {} }));
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as UnavailableError).outcome).toBe("rejected");
    expect(sim.log.all()).toHaveLength(3);
  });

  it("keeps the server's body, and serializes the error without it", async () => {
    const { client } = await harness(() => ({
      status: 400,
      body: { slug: ["Application with this slug already exists."] },
    }));
    const error = await rejection(
      client.request({ method: "POST", path: "/api/v3/core/applications/", body: {} }),
    );
    expect(error.body).toEqual({ slug: ["Application with this slug already exists."] });
    expect(error.message).toContain("slug: Application with this slug already exists.");
    expect(error.toJSON()).toEqual({
      error: "InvalidError",
      kind: "invalid",
      message: error.message,
      hint: error.hint,
      retryable: false,
      target: "sim",
      method: "POST",
      route: "/api/v3/core/applications/",
      status: 400,
      requestId: error.requestId,
      attempts: 1,
    });
  });

  it("redacts registered secrets from the message and the body", async () => {
    const secret = "s3cr3t-token-value-0042";
    redactor.register(secret);
    const { client } = await harness(() => ({
      status: 400,
      body: { detail: `token ${secret} is not valid`, echo: { header: `Bearer ${secret}` } },
    }));
    const error = await rejection(client.request({ method: "POST", path: "/", body: {} }));
    expect(error.message).toContain("token [redacted] is not valid");
    expect(error.message).not.toContain(secret);
    expect(JSON.stringify(error.body)).not.toContain(secret);
    expect(JSON.stringify(error.toJSON())).not.toContain(secret);
  });
});

describe("correlation", () => {
  it("sends an x-request-id on every attempt, unique per attempt, prefixed with the correlation id", async () => {
    let calls = 0;
    const { client, seen } = await harness(() =>
      ++calls < 3 ? { status: 502, body: {} } : { status: 200, body: {} },
    );
    const response = await withCorrelation(() => client.request({ method: "GET", path: "/" }), "corr42");
    const ids = seen.map((request) => request.headers["x-request-id"]);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(id).toMatch(/^corr42-\d+$/);
    expect(response.requestId).toBe(ids[2]);
  });

  it("uses a random prefix outside correlated work, and names the id in errors", async () => {
    const { client, seen } = await harness(() => ({ status: 404, body: {} }));
    const error = await rejection(client.request({ method: "GET", path: "/" }));
    expect(seen[0]?.headers["x-request-id"]).toMatch(/^[0-9a-f]{16}-\d+$/);
    expect(error.requestId).toBe(seen[0]?.headers["x-request-id"]);
  });

  it("logs one debug line per attempt, without headers or bodies", async () => {
    const memory = memoryDestination();
    setLogger(createLogger({ level: "debug", destination: memory.stream, pretty: false }));
    cleanups.push(async () => setLogger(createLogger({ level: "silent" })));
    let calls = 0;
    const { client } = await harness(
      () => (++calls === 1 ? { status: 500, body: { secret: "body-content" } } : { status: 201, body: {} }),
      {
        headers: () => ({ authorization: "Bearer header-content" }),
      },
    );
    await client.request({
      method: "POST",
      path: "/api/things/7/",
      body: { field: "body-content" },
      safeToRetry: true,
    });
    const lines = memory
      .lines()
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.msg === "http attempt");
    expect(lines).toEqual([
      expect.objectContaining({
        target: "sim",
        method: "POST",
        route: "/api/things/{id}/",
        status: "500",
        attempt: 1,
      }),
      expect.objectContaining({
        target: "sim",
        method: "POST",
        route: "/api/things/{id}/",
        status: "201",
        attempt: 2,
      }),
    ]);
    expect(typeof lines[0]?.ms).toBe("number");
    expect(typeof lines[0]?.requestId).toBe("string");
    expect(memory.lines().join("\n")).not.toMatch(/body-content|header-content/);
  });
});

describe("metrics", () => {
  async function samples(name: string, target: string) {
    const metric = await registry.getSingleMetric(`autopilot_${name}`)?.get();
    return metric?.values.filter((value) => value.labels.target === target) ?? [];
  }

  it("observes every attempt under the route template, and counts retries by reason", async () => {
    let calls = 0;
    const sim = await startSimServer({
      name: "metered",
      handler: () => (++calls === 1 ? { status: 503, body: {} } : { status: 200, body: {} }),
    });
    const client = createHttpClient({ target: "metered", baseUrl: sim.url }, { sleep: async () => {} });
    cleanups.push(async () => {
      await client.close();
      await sim.close();
    });
    await client.request({ method: "GET", path: "/api/v3/core/users/42/" });
    await client.request({ method: "GET", path: "/api/v3/core/users/43/" });
    await client.request({ method: "GET", path: "/api/v3/core/users/me/", route: "/api/v3/core/users/me/" });

    const totals = await samples("http_requests_total", "metered");
    const byLabels = Object.fromEntries(
      totals.map((value) => [`${value.labels.route} ${value.labels.status}`, value.value]),
    );
    expect(byLabels).toEqual({
      "/api/v3/core/users/{id}/ 503": 1,
      "/api/v3/core/users/{id}/ 200": 2,
      "/api/v3/core/users/me/ 200": 1,
    });
    const counts = (await samples("http_request_duration_seconds", "metered")).filter(
      (value) =>
        (value as { metricName?: string }).metricName === "autopilot_http_request_duration_seconds_count",
    );
    expect(counts.reduce((sum, value) => sum + value.value, 0)).toBe(4);
    expect(await samples("http_retries_total", "metered")).toEqual([
      expect.objectContaining({ labels: { target: "metered", reason: "503" }, value: 1 }),
    ]);
  });

  it("labels transport failures by what happened", async () => {
    const closed = await startSimServer({ name: "gone", handler: () => ({ status: 200 }) });
    const url = closed.url;
    await closed.close();
    const client = createHttpClient(
      { target: "metered-refused", baseUrl: url, resilience: { retry: { maxAttempts: 2 } } },
      { sleep: async () => {} },
    );
    cleanups.push(() => client.close());
    await rejection(client.request({ method: "GET", path: "/" }));
    const totals = await samples("http_requests_total", "metered-refused");
    expect(totals).toEqual([
      expect.objectContaining({ labels: expect.objectContaining({ status: "refused" }), value: 2 }),
    ]);
  });
});

describe("connection pooling", () => {
  /** A loopback server counting the connections made to it, and a client of it closed after the test. */
  async function pooled(handler: Parameters<typeof createServer>[1], concurrency?: number) {
    const counted = { connections: 0 };
    const server: Server = createServer(handler);
    server.on("connection", () => {
      counted.connections += 1;
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const client = createHttpClient({
      target: "pooled",
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      ...(concurrency === undefined ? {} : { resilience: { concurrency } }),
    });
    cleanups.push(async () => {
      await client.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    return { client, counted };
  }

  it("reuses kept-alive connections for sequential requests", async () => {
    const { client, counted } = await pooled((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end("{}");
    });
    for (let i = 0; i < 25; i++) await client.request({ method: "GET", path: `/item/${i}` });
    // undici may open a second socket while the first is being released; never one per request.
    expect(counted.connections).toBeGreaterThanOrEqual(1);
    expect(counted.connections).toBeLessThanOrEqual(2);
  });

  it("keeps spare sockets (twice the concurrency) but never more requests in flight than allowed", async () => {
    let inFlight = 0;
    let most = 0;
    const { client, counted } = await pooled((_request, response) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      setTimeout(() => {
        inFlight -= 1;
        response.writeHead(200, { "content-type": "application/json" });
        response.end("{}");
      }, 5);
    }, 3);
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => client.request({ method: "GET", path: `/item/${i}` })),
    );
    expect(most).toBe(3);
    expect(counted.connections).toBeGreaterThan(3);
    expect(counted.connections).toBeLessThanOrEqual(6);
  });
});

describe("configuration", () => {
  it.each([
    ["not a url", /is not a URL/],
    ["ftp://127.0.0.1", /http or https/],
    ["http://admin:hunter2@127.0.0.1", /user name or password/],
    ["http://127.0.0.1/?x=1", /query or fragment/],
  ])("refuses the base URL %s", (baseUrl, message) => {
    expect(() => createHttpClient({ target: "bad", baseUrl })).toThrow(message);
  });

  it("refuses invalid resilience settings", () => {
    expect(() =>
      createHttpClient({ target: "bad", baseUrl: "http://127.0.0.1", resilience: { concurrency: 0 } }),
    ).toThrow(/concurrency/);
  });

  it("refuses a path without a leading slash", async () => {
    const { client } = await harness(ok);
    await expect(client.request({ method: "GET", path: "api/x" })).rejects.toThrow(/must start with/);
  });

  it("warns that tls settings do nothing on an http URL", async () => {
    const memory = memoryDestination();
    setLogger(createLogger({ level: "warn", destination: memory.stream, pretty: false }));
    cleanups.push(async () => setLogger(createLogger({ level: "silent" })));
    const client = createHttpClient({ target: "plain", baseUrl: "http://127.0.0.1:1", tls: { ca: "x" } });
    cleanups.push(() => client.close());
    expect(memory.lines().join("\n")).toContain("tls settings are ignored");
  });

  it("refuses a method it does not know", async () => {
    const { client } = await harness(ok);
    const call = { method: "TRACE", path: "/" } as unknown as Parameters<HttpClient["request"]>[0];
    await expect(client.request(call)).rejects.toThrow(/unsupported HTTP method TRACE/);
  });

  it("waits between attempts on real timers when no clock is injected", async () => {
    let calls = 0;
    const sim = await startSimServer({
      name: "timers",
      handler: () => (++calls === 1 ? { status: 503, body: {} } : { status: 200, body: {} }),
    });
    const client = createHttpClient({
      target: "timers",
      baseUrl: sim.url,
      resilience: { retry: { initialDelayMs: 5, maxDelayMs: 5 } },
    });
    cleanups.push(async () => {
      await client.close();
      await sim.close();
    });
    expect((await client.request({ method: "GET", path: "/" })).attempts).toBe(2);
  });

  it("refuses calls after close, without retrying", async () => {
    const { client, sim } = await harness(ok);
    await client.close();
    const error = await rejection(client.request({ method: "GET", path: "/" }));
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.message).toContain("was closed");
    expect(error.attempts).toBe(1);
    expect(sim.log.all()).toHaveLength(0);
  });

  it("exposes its target and base URL", async () => {
    const { client, sim } = await harness(ok);
    expect(client.target).toBe("sim");
    expect(client.baseUrl).toBe(sim.url);
  });
});
