import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Alerter } from "../../src/daemon/alerts/alerter.ts";
import { createChannel } from "../../src/daemon/alerts/channels.ts";
import { createHttpClient } from "../../src/http/client.ts";
import type { HttpClient } from "../../src/http/types.ts";
import { freePort, type RunningProcess, startProcess, waitFor } from "../helpers/processes.ts";

interface AmAlert {
  labels: Record<string, string>;
  status: { state: string };
}

/** Debian's real Alertmanager on loopback: it must receive, and then resolve, Autopilot's alert. */
describe("alerts to a real Alertmanager", () => {
  let alertmanager: RunningProcess;
  let url: string;
  let api: HttpClient;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "autopilot-am-"));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    writeFileSync(
      join(dir, "alertmanager.yml"),
      "route:\n  receiver: nowhere\nreceivers:\n  - name: nowhere\n",
    );
    alertmanager = startProcess("prometheus-alertmanager", [
      `--config.file=${join(dir, "alertmanager.yml")}`,
      `--storage.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--cluster.listen-address=",
    ]);
    api = createHttpClient({ target: "alertmanager-test", baseUrl: url });
    await waitFor(
      async () =>
        (await api.request({ method: "GET", path: "/-/ready" })).status === 200 ? true : undefined,
      "alertmanager to be ready",
    );
  });
  afterAll(async () => {
    await api?.close();
    await alertmanager?.stop();
  });

  const ours = async () =>
    ((await api.request<AmAlert[]>({ method: "GET", path: "/api/v2/alerts" })).body ?? []).filter(
      (alert) => alert.labels.source === "autopilot",
    );

  it("receives a firing alert and then its resolution", async () => {
    const channel = createChannel(
      { name: "am", type: "alertmanager", url, minSeverity: "info" },
      createHttpClient({ target: "alert:am", baseUrl: url }),
    );
    const alerter = new Alerter([channel]);
    await alerter.raise({
      key: "budget:sonarr",
      severity: "critical",
      title: "RestartBudgetSpent",
      message: "sonarr was restarted 3 times in 10m and is still unhealthy; Autopilot stopped restarting it",
      labels: { service: "sonarr" },
    });
    const firing = await waitFor(async () => {
      const alerts = await ours();
      return alerts.length > 0 ? alerts : undefined;
    }, "the alert to arrive");
    expect(firing[0]).toMatchObject({
      labels: {
        alertname: "RestartBudgetSpent",
        severity: "critical",
        service: "sonarr",
        key: "budget:sonarr",
      },
      status: { state: "active" },
    });

    await alerter.resolve("budget:sonarr");
    await waitFor(async () => ((await ours()).length === 0 ? true : undefined), "the alert to be resolved");
    await alerter.close();
  }, 60_000);
});
