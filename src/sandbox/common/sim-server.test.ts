import { afterEach, describe, expect, it } from "vitest";
import { parseJsonBody, type SimServer, startSimServer } from "./sim-server.ts";

// Tests of the simulator shell itself use Node's built-in fetch on purpose: they check what
// the server does on the wire, independent of Autopilot's own HTTP core.
describe("simulator server", () => {
  let server: SimServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function start(): Promise<SimServer> {
    let stored: unknown = null;
    server = await startSimServer({
      name: "test",
      handler: (request) => {
        if (request.method === "PUT") {
          stored = parseJsonBody(request);
          return { status: 200, body: { ok: true } };
        }
        if (request.path === "/text") return { status: 200, text: "plain" };
        if (request.path === "/boom") throw new Error("handler bug");
        return { status: 200, body: { stored, q: request.query.get("q") } };
      },
      throttleResponse: (seconds) => ({ status: 429, body: { detail: `wait ${seconds}` } }),
    });
    return server;
  }

  it("serves the handler's JSON and logs every request", async () => {
    const sim = await start();
    const response = await fetch(`${sim.url}/x?q=1`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ stored: null, q: "1" });
    expect((await fetch(`${sim.url}/text`)).headers.get("content-type")).toContain("text/plain");
    const log = await (await fetch(`${sim.url}/__sandbox/requests`)).json();
    expect(log).toEqual([
      expect.objectContaining({ method: "GET", path: "/x", status: 200 }),
      expect.objectContaining({ method: "GET", path: "/text", status: 200 }),
    ]);
  });

  it("refuses to listen anywhere but loopback", async () => {
    await expect(
      startSimServer({ name: "x", handler: () => ({ status: 200 }), host: "0.0.0.0" }),
    ).rejects.toThrow(/loopback/);
  });

  it("answers 500 when a handler throws", async () => {
    const sim = await start();
    const stderr = process.stderr.write;
    process.stderr.write = () => true;
    try {
      expect((await fetch(`${sim.url}/boom`)).status).toBe(500);
    } finally {
      process.stderr.write = stderr;
    }
  });

  it("throttles with Retry-After using the simulator's own body", async () => {
    const sim = await start();
    await fetch(`${sim.url}/__sandbox/faults`, {
      method: "POST",
      body: JSON.stringify({ throttleRate: 1, retryAfterSeconds: 2 }),
    });
    const response = await fetch(`${sim.url}/x`);
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("2");
    expect(await response.json()).toEqual({ detail: "wait 2" });
  });

  it("injects 5xx errors", async () => {
    const sim = await start();
    sim.faults.set({ errorRate: 1, errorStatus: 502 });
    expect((await fetch(`${sim.url}/x`)).status).toBe(502);
  });

  it("commits the change, then drops the response", async () => {
    const sim = await start();
    sim.faults.set({ lostResponseRate: 1 });
    await expect(fetch(`${sim.url}/x`, { method: "PUT", body: JSON.stringify({ v: 7 }) })).rejects.toThrow();
    sim.faults.set({});
    expect(await (await fetch(`${sim.url}/x`)).json()).toMatchObject({ stored: { v: 7 } });
    expect(sim.log.writes()).toEqual([
      expect.objectContaining({ method: "PUT", status: 200, fault: "lose-response" }),
    ]);
  });

  it("resets connections, and is unreachable while down except for its controls", async () => {
    const sim = await start();
    sim.faults.set({ resetRate: 1 });
    await expect(fetch(`${sim.url}/x`)).rejects.toThrow();
    await fetch(`${sim.url}/__sandbox/faults`, { method: "POST", body: JSON.stringify({ down: true }) });
    await expect(fetch(`${sim.url}/x`)).rejects.toThrow();
    expect(await (await fetch(`${sim.url}/__sandbox/faults`)).json()).toEqual({ down: true });
    await fetch(`${sim.url}/__sandbox/faults`, { method: "POST", body: "{}" });
    expect((await fetch(`${sim.url}/x`)).status).toBe(200);
  });

  it("rejects malformed fault settings", async () => {
    const sim = await start();
    const bad = await fetch(`${sim.url}/__sandbox/faults`, {
      method: "POST",
      body: JSON.stringify({ errorRate: 5 }),
    });
    expect(bad.status).toBe(400);
    expect((await fetch(`${sim.url}/__sandbox/faults`, { method: "POST", body: "{" })).status).toBe(400);
    expect((await fetch(`${sim.url}/__sandbox/nope`)).status).toBe(404);
  });

  it("answers no sooner than the latency after each request arrived, even in a burst", async () => {
    const sim = await start();
    sim.faults.set({ latencyMs: 50 });
    await Promise.all(Array.from({ length: 10 }, () => fetch(`${sim.url}/x`)));
    const times = sim.log.all().map((entry) => entry.ms);
    expect(times).toHaveLength(10);
    for (const ms of times) expect(ms).toBeGreaterThanOrEqual(50);
  });

  it("clears its request log on DELETE", async () => {
    const sim = await start();
    await fetch(`${sim.url}/x`);
    expect((await fetch(`${sim.url}/__sandbox/requests`, { method: "DELETE" })).status).toBe(204);
    expect(sim.log.all()).toEqual([]);
  });
});
