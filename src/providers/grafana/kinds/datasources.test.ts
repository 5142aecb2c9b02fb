import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DesiredResource } from "../../../engine/resource.ts";
import type { DatasourceRecord } from "../../../sandbox/grafana/models.ts";
import { type GrafanaHarness, grafanaHarness } from "../grafana-harness.fixture.ts";
import type { DatasourceSpec } from "./datasources.ts";

const desired = (overrides: Partial<DatasourceSpec> = {}): DesiredResource<DatasourceSpec>[] => [
  {
    ref: { target: "grafana", kind: "datasource", key: "prom" },
    spec: {
      uid: "prom",
      name: "Prometheus",
      type: "prometheus",
      url: "http://prometheus:9090",
      access: "proxy",
      isDefault: true,
      jsonData: { timeInterval: "30s" },
      secureJsonData: { basicAuthPassword: "${secret:prom_pw}" },
      ...overrides,
    },
  },
];

describe("Grafana datasources", () => {
  let h: GrafanaHarness;
  const stored = () => h.sim.state.org().datasources.get("prom") as DatasourceRecord;
  const writes = () => h.sim.server.log.writes().length;

  beforeEach(async () => {
    h = await grafanaHarness();
    h.secrets.set("prom_pw", "first-password-value");
  });
  afterEach(async () => {
    await h.close();
  });

  it("creates a datasource with its secret, then plans no change and writes nothing", async () => {
    expect((await h.apply(desired())).converged).toBe(true);
    expect(stored()).toMatchObject({
      name: "Prometheus",
      url: "http://prometheus:9090",
      isDefault: true,
      jsonData: { timeInterval: "30s" },
      secureJsonData: { basicAuthPassword: "first-password-value" },
    });
    const before = writes();
    const plan = await h.plan(desired());
    expect(plan.plan.actions.map((action) => action.type)).toEqual(["noop"]);
    expect((await h.apply(desired())).converged).toBe(true);
    expect(writes() - before).toBe(0);
  });

  it("rewrites only the secret when only the secret changed, masked in the plan", async () => {
    await h.apply(desired());
    h.secrets.set("prom_pw", "second-password-value");
    const plan = await h.plan(desired());
    const [action] = plan.plan.actions;
    expect(action?.type).toBe("update");
    expect(action?.changes).toEqual([
      {
        path: "secureJsonData.basicAuthPassword",
        before: "(set)",
        after: "second-password-value",
        sensitive: true,
      },
    ]);
    expect((await h.execute(desired(), plan)).converged).toBe(true);
    expect(stored().secureJsonData.basicAuthPassword).toBe("second-password-value");
    expect(stored().jsonData).toEqual({ timeInterval: "30s" });
    expect((await h.plan(desired())).plan.actions[0]?.type).toBe("noop");
  });

  it("rewrites a secret Grafana no longer holds (secureJsonFields lacks it)", async () => {
    await h.apply(desired());
    stored().secureJsonData = {};
    const plan = await h.plan(desired());
    expect(plan.plan.actions[0]?.changes.map((change) => change.path)).toEqual([
      "secureJsonData.basicAuthPassword",
    ]);
    await h.execute(desired(), plan);
    expect(stored().secureJsonData.basicAuthPassword).toBe("first-password-value");
  });

  it("keeps what it does not manage on update and sends the version it just read", async () => {
    await h.apply(desired());
    Object.assign(stored(), { basicAuthUser: "scraper", version: 7 });
    stored().jsonData = { ...stored().jsonData, httpMethod: "GET" };
    const before = h.sim.server.log.all().length;
    expect((await h.apply(desired({ url: "http://prometheus:9091" }))).converged).toBe(true);
    expect(stored()).toMatchObject({
      url: "http://prometheus:9091",
      basicAuthUser: "scraper",
      jsonData: { timeInterval: "30s", httpMethod: "GET" },
      secureJsonData: { basicAuthPassword: "first-password-value" },
      version: 8,
    });
    const puts = h.sim.server.log
      .all()
      .slice(before)
      .filter((entry) => entry.method === "PUT");
    expect(puts.map((entry) => entry.status)).toEqual([200]);
  });

  it("reads only the datasources whose secrets the config manages", async () => {
    await h.apply(desired({ secureJsonData: undefined }));
    const before = h.sim.server.log.all().length;
    await h.plan(desired({ secureJsonData: undefined }));
    const reads = h.sim.server.log
      .all()
      .slice(before)
      .filter((entry) => entry.path.startsWith("/api/datasources"));
    expect(reads.map((entry) => entry.path)).toEqual(["/api/datasources"]);
  });

  it("reads again and retries once when its PUT meets a stale version (409)", async () => {
    await h.apply(desired());
    const plan = await h.plan(desired({ url: "http://prometheus:9092" }));
    // The fresh read goes through; the PUT commits but its answer is lost, so the HTTP core
    // repeats it with the old version: Grafana answers 409 "already been updated".
    h.faultAt(2, { kind: "lose-response" });
    const result = await h.execute(desired({ url: "http://prometheus:9092" }), plan);
    expect(result.converged).toBe(true);
    const statuses = h.sim.server.log
      .all()
      .filter((entry) => entry.method === "PUT")
      .map((entry) => entry.status);
    expect(statuses).toEqual([200, 409, 200]);
    expect(stored().url).toBe("http://prometheus:9092");
    expect(h.sim.state.org().datasources.size).toBe(1);
  });

  it("refuses a change to a datasource Grafana provisioned from a file, and says so", async () => {
    await h.apply(desired());
    h.sim.state.makeDatasourceReadOnly("prom");
    const result = await h.apply(desired({ url: "http://elsewhere:9090" }));
    expect(result.converged).toBe(false);
    expect(result.results[0]?.error?.message).toContain("read-only");
  });

  it("deletes a datasource it created once the config drops it", async () => {
    await h.apply(desired());
    expect((await h.apply([])).converged).toBe(true);
    expect(h.sim.state.org().datasources.size).toBe(0);
  });

  it("reports a datasource deleted between plan and apply as gone, to be created by the next apply", async () => {
    await h.apply(desired());
    const plan = await h.plan(desired({ url: "http://prometheus:9093" }));
    h.sim.state.org().datasources.delete("prom");
    const result = await h.execute(desired({ url: "http://prometheus:9093" }), plan);
    expect(result.results[0]?.error).toMatchObject({
      kind: "not-found",
      message: expect.stringContaining("disappeared"),
    });
    expect((await h.apply(desired({ url: "http://prometheus:9093" }))).converged).toBe(true);
    expect(stored().url).toBe("http://prometheus:9093");
  });
});
