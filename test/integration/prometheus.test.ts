import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventBus } from "../../src/daemon/server/event-bus.ts";
import { type StatusServer, startStatusServer } from "../../src/daemon/server/server.ts";
import { createHttpClient } from "../../src/http/client.ts";
import type { HttpClient } from "../../src/http/types.ts";
import { counter, registry } from "../../src/observability/metrics.ts";
import { fakeStatusSource } from "../helpers/fake-status.ts";
import { freePort, type RunningProcess, startProcess, waitFor } from "../helpers/processes.ts";
import { recordingAudit } from "../helpers/recording-audit.ts";

const TOKEN = "prometheus-scrape-token-0123456789";

/** Debian's real Prometheus scrapes the daemon's /metrics with the bearer token. */
describe("Prometheus scrapes /metrics", () => {
  let server: StatusServer;
  let prometheus: RunningProcess;
  let api: HttpClient;

  beforeAll(async () => {
    server = await startStatusServer({
      host: "127.0.0.1",
      port: 0,
      token: TOKEN,
      publicMetrics: false,
      source: fakeStatusSource(),
      registry,
      events: new EventBus(),
      audit: recordingAudit(),
    });
    const dir = mkdtempSync(join(tmpdir(), "autopilot-prom-"));
    const port = await freePort();
    const target = new URL(server.url).host;
    writeFileSync(
      join(dir, "prometheus.yml"),
      [
        "global: { scrape_interval: 1s }",
        "scrape_configs:",
        "  - job_name: autopilot",
        "    authorization: { credentials_file: token.txt }",
        `    static_configs: [ { targets: ["${target}"] } ]`,
      ].join("\n"),
    );
    writeFileSync(join(dir, "token.txt"), TOKEN, { mode: 0o600 });
    prometheus = startProcess("prometheus", [
      `--config.file=${join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ]);
    api = createHttpClient({ target: "prometheus-test", baseUrl: `http://127.0.0.1:${port}` });
  }, 60_000);
  afterAll(async () => {
    await api?.close();
    await prometheus?.stop();
    await server?.close();
  });

  it("reports the target up and stores Autopilot's metrics", async () => {
    type Query = { data: { result: { value: [number, string] }[] } };
    const up = await waitFor(
      async () => {
        const result = await api.request<Query>({
          method: "GET",
          path: "/api/v1/query",
          query: { query: 'up{job="autopilot"}' },
        });
        const value = result.body.data.result[0]?.value[1];
        return value === "1" ? value : undefined;
      },
      `Prometheus to scrape the daemon (its log: ${prometheus.output().slice(-500)})`,
      30_000,
    );
    expect(up).toBe("1");
    counter("prometheus_probe_total", "Incremented by the Prometheus integration test", []).inc(7);
    const scraped = await waitFor(
      async () => {
        const result = await api.request<Query>({
          method: "GET",
          path: "/api/v1/query",
          query: { query: "autopilot_prometheus_probe_total" },
        });
        return result.body.data.result[0]?.value[1];
      },
      "the test counter to be scraped",
      30_000,
    );
    expect(scraped).toBe("7");
  }, 60_000);
});
