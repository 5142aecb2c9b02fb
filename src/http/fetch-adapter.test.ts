import { Configuration, CoreApi, ResponseError } from "@goauthentik/api";
import { afterEach, describe, expect, it } from "vitest";
import {
  type SimHandler,
  type SimRequest,
  type SimServer,
  startSimServer,
} from "../sandbox/common/sim-server.ts";
import { createHttpClient } from "./client.ts";
import { NotFoundError, UnavailableError } from "./errors.ts";
import type { HttpClient } from "./types.ts";

/** `client.fetch`, the fetch-compatible face of the client that generated API clients call. */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function harness(
  handler: SimHandler,
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
    {
      target: "sim",
      baseUrl: sim.url,
      resilience: { retry: { maxAttempts: 3 } },
      headers: () => ({ authorization: "Bearer from-target" }),
    },
    { sleep: async () => {} },
  );
  cleanups.push(async () => {
    await client.close();
    await sim.close();
  });
  return { sim, client, seen };
}

describe("client.fetch", () => {
  it("resolves with a 404 Response like fetch, after a single request", async () => {
    const { client, sim } = await harness(() => ({ status: 404, body: { detail: "Not found." } }));
    const response = await client.fetch(`${sim.url}/api/v3/core/applications/x/`);
    expect(response.status).toBe(404);
    expect(response.ok).toBe(false);
    expect(response.statusText).toBe("Not Found");
    expect(await response.json()).toEqual({ detail: "Not found." });
    expect(sim.log.all()).toHaveLength(1);
    expect(client.errorFor(response)).toBeInstanceOf(NotFoundError);
  });

  it("retries a 503 and resolves with the eventual success", async () => {
    let calls = 0;
    const { client, sim } = await harness(() =>
      ++calls === 1 ? { status: 503, body: {} } : { status: 200, body: { n: calls } },
    );
    const response = await client.fetch(`${sim.url}/api/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ n: 2 });
    expect(sim.log.all()).toHaveLength(2);
  });

  it("resolves with the last 503 when every attempt failed", async () => {
    const { client, sim } = await harness(() => ({ status: 503, body: { message: "down" } }));
    const response = await client.fetch(`${sim.url}/api/health`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ message: "down" });
    expect(sim.log.all()).toHaveLength(3);
  });

  it("sends method, headers and a string body, with the target's headers and a request id", async () => {
    const { client, sim, seen } = await harness(() => ({ status: 201, body: { created: true } }));
    const response = await client.fetch(`${sim.url}/api/v3/core/groups/?x=1`, {
      method: "post",
      headers: { "Content-Type": "application/json", "X-Extra": "1" },
      body: JSON.stringify({ name: "admins" }),
    });
    expect(response.status).toBe(201);
    const request = seen[0];
    expect(request?.method).toBe("POST");
    expect(request?.query.get("x")).toBe("1");
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(request?.headers["x-extra"]).toBe("1");
    expect(request?.headers.authorization).toBe("Bearer from-target");
    expect(request?.headers["x-request-id"]).toBeTruthy();
    expect(JSON.parse(request?.rawBody.toString() ?? "")).toEqual({ name: "admins" });
  });

  it("does not retry a POST that got a 503, like request()", async () => {
    const { client, sim } = await harness(() => ({ status: 503, body: {} }));
    const response = await client.fetch(`${sim.url}/x`, { method: "POST", body: "{}" });
    expect(response.status).toBe(503);
    expect(sim.log.all()).toHaveLength(1);
    expect(client.errorFor(response)).toMatchObject({ kind: "unavailable", outcome: "unknown" });
    expect(client.errorFor(new Response("{}"))).toBeUndefined();
  });

  it("accepts a Request, a relative path, form bodies and binary bodies", async () => {
    const { client, sim, seen } = await harness(() => ({ status: 200, text: "fine" }));
    await client.fetch(
      new Request(`${sim.url}/req`, { method: "PUT", body: "payload", headers: { "x-a": "b" } }),
    );
    await client.fetch("/relative?q=1", { method: "POST", body: new URLSearchParams({ a: "1" }) });
    await client.fetch(new URL(`${sim.url}/bytes`), { method: "PUT", body: new Uint8Array([1, 2, 3]) });
    expect(seen.map((request) => `${request.method} ${request.path}`)).toEqual([
      "PUT /req",
      "POST /relative",
      "PUT /bytes",
    ]);
    expect(seen[0]?.rawBody.toString()).toBe("payload");
    expect(seen[0]?.headers["x-a"]).toBe("b");
    expect(seen[1]?.headers["content-type"]).toBe("application/x-www-form-urlencoded;charset=UTF-8");
    expect(seen[1]?.rawBody.toString()).toBe("a=1");
    expect([...(seen[2]?.rawBody ?? [])]).toEqual([1, 2, 3]);
  });

  it("sends a string body as UTF-8 with fetch's implied text type unless one is given", async () => {
    const { client, sim, seen } = await harness(() => ({ status: 200, text: "fine" }));
    await client.fetch(`${sim.url}/plain`, { method: "POST", body: "grüße ✓" });
    await client.fetch(`${sim.url}/typed`, {
      method: "POST",
      body: "{}",
      headers: { "content-type": "application/json" },
    });
    expect(seen[0]?.headers["content-type"]).toBe(
      new Request("http://x", { method: "POST", body: "" }).headers.get("content-type"),
    );
    expect(seen[0]?.rawBody.toString("utf8")).toBe("grüße ✓");
    expect(seen[0]?.headers["content-length"]).toBe(String(Buffer.byteLength("grüße ✓")));
    expect(seen[1]?.headers["content-type"]).toBe("application/json");
  });

  it("returns an empty body for 204", async () => {
    const { client, sim } = await harness(() => ({ status: 204 }));
    const response = await client.fetch(`${sim.url}/x`, { method: "DELETE" });
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
  });

  it("refuses to send the target's credentials to another origin", async () => {
    const { client, sim } = await harness(() => ({ status: 200 }));
    await expect(client.fetch("http://127.0.0.1:1/steal")).rejects.toThrow(
      /refusing to send a request to http:\/\/127.0.0.1:1/,
    );
    await expect(client.fetch("//127.0.0.1:1/steal")).rejects.toThrow(/Invalid URL|refusing/);
    expect(sim.log.all()).toHaveLength(0);
  });

  it("refuses methods the client does not support", async () => {
    const { client, sim } = await harness(() => ({ status: 200 }));
    await expect(client.fetch(`${sim.url}/`, { method: "OPTIONS" })).rejects.toThrow(
      /OPTIONS is not supported/,
    );
  });

  it("throws the typed error on a transport failure", async () => {
    const { client, sim } = await harness(() => ({ status: 200 }));
    sim.faults.set({ resetRate: 1 });
    await expect(client.fetch(`${sim.url}/x`)).rejects.toBeInstanceOf(UnavailableError);
  });

  it("serves the generated Authentik client", async () => {
    const { client, sim, seen } = await harness((request) =>
      request.path.endsWith("/missing/")
        ? { status: 404, body: { detail: "No Application matches the given query." } }
        : { status: 204 },
    );
    const api = new CoreApi(new Configuration({ basePath: `${sim.url}/api/v3`, fetchApi: client.fetch }));
    await api.coreApplicationsDestroy({ slug: "grafana" });
    const error = await api.coreApplicationsDestroy({ slug: "missing" }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ResponseError);
    expect((error as ResponseError).response.status).toBe(404);
    expect(seen.map((request) => `${request.method} ${request.path}`)).toEqual([
      "DELETE /api/v3/core/applications/grafana/",
      "DELETE /api/v3/core/applications/missing/",
    ]);
  });
});
