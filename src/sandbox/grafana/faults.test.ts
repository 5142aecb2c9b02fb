import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestGrafana, type TestGrafana } from "../../../test/helpers/grafana-sim-client.ts";

describe("Grafana simulator faults and request log", () => {
  let g: TestGrafana;
  beforeEach(async () => {
    g = await startTestGrafana();
  });
  afterEach(async () => {
    await g.sim.close();
  });

  const setFaults = (faults: Record<string, unknown>) =>
    fetch(`${g.sim.url}/__sandbox/faults`, { method: "POST", body: JSON.stringify(faults) });

  it("throttles like the proxy in front of Grafana: 429, Retry-After, a JSON message", async () => {
    await setFaults({ throttleRate: 1, retryAfterSeconds: 3 });
    const response = await g.api.get("/api/org");
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("3");
    expect(response.body).toEqual({ message: "Too Many Requests" });
  });

  it("injects Grafana's own 500 body and a proxy's HTML page for 502/503", async () => {
    await setFaults({ errorRate: 1, errorStatus: 500 });
    expect((await g.api.get("/api/org")).body).toEqual({ message: "Internal Server Error" });
    await setFaults({ errorRate: 1, errorStatus: 502 });
    const badGateway = await g.api.get("/api/org");
    expect(badGateway.status).toBe(502);
    expect(badGateway.headers.get("content-type")).toContain("text/html");
    expect(badGateway.text).toContain("502 Bad Gateway");
    await setFaults({ errorRate: 1, errorStatus: 599 });
    expect((await g.api.get("/api/org")).text).toContain("599 Server Error");
  });

  it("commits the change and then drops the response when it is 'lost'", async () => {
    await setFaults({ lostResponseRate: 1 });
    await expect(g.api.post("/api/folders", { title: "Committed" })).rejects.toThrow();
    await setFaults({});
    const folders = (await g.api.get("/api/folders")).body;
    expect(folders.map((f: { title: string }) => f.title)).toEqual(["Committed"]);
  });

  it("logs every request with its status", async () => {
    await g.api.get("/api/org");
    await g.anonymous.get("/api/org");
    const log = await (await fetch(`${g.sim.url}/__sandbox/requests`)).json();
    expect(log).toEqual([
      expect.objectContaining({ method: "GET", path: "/api/org", status: 200 }),
      expect.objectContaining({ method: "GET", path: "/api/org", status: 401 }),
    ]);
  });
});
