import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DesiredResource } from "../../../engine/resource.ts";
import type { AlertRuleRecord } from "../../../sandbox/grafana/models.ts";
import { type GrafanaHarness, grafanaHarness } from "../grafana-harness.fixture.ts";
import type { AlertRuleSpec } from "./alert-rules.ts";

const folder: DesiredResource = {
  ref: { target: "grafana", kind: "folder", key: "alerts" },
  spec: { uid: "alerts", title: "Alerts", parentUid: "" },
};
const hook: DesiredResource = {
  ref: { target: "grafana", kind: "contact-point", key: "ops" },
  spec: {
    name: "ops",
    type: "webhook",
    settings: { url: "https://hooks.lab/alert", httpMethod: "POST" },
    secureSettings: { password: "${secret:hook_pw}" },
    disableResolveMessage: false,
  },
};
const policy = (spec: Record<string, unknown> = {}): DesiredResource => ({
  ref: { target: "grafana", kind: "notification-policy", key: "policy" },
  dependsOn: [hook.ref],
  spec: {
    receiver: "ops",
    group_by: ["alertname"],
    routes: [{ receiver: "ops", object_matchers: [["severity", "=", "critical"]] }],
    ...spec,
  },
});
const ruleSpec: AlertRuleSpec = {
  uid: "disk-full",
  title: "Disk full",
  folderUID: "alerts",
  ruleGroup: "storage",
  condition: "B",
  data: [
    {
      refId: "A",
      queryType: "",
      datasourceUid: "prom",
      relativeTimeRange: { from: 600, to: 0 },
      model: { refId: "A", expr: "disk_free < 0.1", instant: true },
    },
    {
      refId: "B",
      queryType: "",
      datasourceUid: "__expr__",
      relativeTimeRange: { from: 0, to: 0 },
      model: { refId: "B", type: "math", expression: "is_number($A)" },
    },
  ],
  noDataState: "OK",
  execErrState: "Error",
  for: "60s",
  labels: { severity: "critical" },
  annotations: {},
  isPaused: false,
};
const rule = (spec: Partial<AlertRuleSpec> = {}): DesiredResource<AlertRuleSpec> => ({
  ref: { target: "grafana", kind: "alert-rule", key: "disk-full" },
  dependsOn: [folder.ref],
  spec: { ...ruleSpec, ...spec },
});

describe("Grafana alerting provisioning", () => {
  let h: GrafanaHarness;
  const all = () => [folder, hook, policy(), rule()];
  const storedRule = () => h.sim.state.org().alertRules.get("disk-full") as AlertRuleRecord;
  const storedHook = () => h.sim.state.org().contactPoints.find((p) => p.name === "ops");

  beforeEach(async () => {
    h = await grafanaHarness();
    h.secrets.set("hook_pw", "hook-password-1");
  });
  afterEach(async () => {
    await h.close();
  });

  it("creates contact point, policy and rule without provenance, so they stay editable in the UI", async () => {
    expect((await h.apply(all())).converged).toBe(true);
    expect(storedHook()).toMatchObject({ provenance: "", secureSettings: { password: "hook-password-1" } });
    expect(h.sim.state.policy()).toMatchObject({ provenance: "", route: { receiver: "ops" } });
    expect(storedRule()).toMatchObject({ provenance: "", forSeconds: 60, folderUid: "alerts" });
  });

  it("then sees no change — Grafana's re-rendered duration, masked secret and defaults included — and writes nothing", async () => {
    await h.apply(all());
    const before = h.sim.server.log.writes().length;
    const plan = await h.plan(all());
    expect(plan.plan.actions.filter((a) => a.type !== "noop")).toEqual([]);
    await h.apply(all());
    expect(h.sim.server.log.writes().length - before).toBe(0);
  });

  it("rewrites a contact point's secret only when the secret changed", async () => {
    await h.apply(all());
    h.secrets.set("hook_pw", "hook-password-2");
    const plan = await h.plan(all());
    expect(plan.plan.actions.find((a) => a.type === "update")).toMatchObject({
      id: "grafana/contact-point/ops",
      changes: [{ path: "secureSettings.password", sensitive: true }],
    });
    await h.execute(all(), plan);
    expect(storedHook()?.secureSettings.password).toBe("hook-password-2");
  });

  it("manages only the declared parts of the shared policy tree and never deletes it", async () => {
    await h.apply(all());
    h.sim.state.policy().route = { ...h.sim.state.policy().route, group_wait: "45s", repeat_interval: "2h" };
    await h.apply([folder, hook, policy({ group_by: ["alertname", "service"] }), rule()]);
    expect(h.sim.state.policy().route).toMatchObject({
      receiver: "ops",
      group_by: ["alertname", "service"],
      group_wait: "45s",
      repeat_interval: "2h",
    });
    await h.apply([folder, hook, rule()]);
    expect(h.sim.state.policy().route).toMatchObject({ receiver: "ops", group_wait: "45s" });
  });

  it("repairs a rule edited in the UI and deletes it once the config drops it", async () => {
    await h.apply(all());
    storedRule().forSeconds = 600;
    storedRule().labels = { severity: "info" };
    const plan = await h.plan(all());
    expect(plan.plan.actions.find((a) => a.type === "update")?.changes.map((c) => c.path)).toEqual([
      "for",
      "labels",
    ]);
    await h.execute(all(), plan);
    expect(storedRule()).toMatchObject({ forSeconds: 60, labels: { severity: "critical" } });
    await h.apply([folder, hook, policy()]);
    expect(h.sim.state.org().alertRules.size).toBe(0);
  });

  it("refuses a rule with no Prometheus datasource to query, naming what to configure", async () => {
    const orphan = rule({
      data: [{ ...ruleSpec.data[0], datasourceUid: null }, ruleSpec.data[1]] as AlertRuleSpec["data"],
    });
    const result = await h.apply([folder, orphan]);
    expect(result.results.find((r) => r.ref.kind === "alert-rule")).toMatchObject({
      type: "invalid",
      error: { message: expect.stringContaining("needs a Prometheus datasource") },
    });
  });

  it("compares a plain setting Grafana masks by digest: no perpetual change, a real change shown", async () => {
    const slack = (url: string): DesiredResource => ({
      ref: { target: "grafana", kind: "contact-point", key: "chat" },
      spec: {
        name: "chat",
        type: "slack",
        settings: { url, recipient: "#ops" },
        secureSettings: {},
        disableResolveMessage: false,
      },
    });
    await h.apply([slack("https://hooks.slack.example/one")]);
    expect((await h.plan([slack("https://hooks.slack.example/one")])).plan.actions[0]?.type).toBe("noop");
    const plan = await h.plan([slack("https://hooks.slack.example/two")]);
    expect(plan.plan.actions[0]?.changes).toEqual([
      { path: "settings.url", before: "(set)", after: "https://hooks.slack.example/two", sensitive: false },
    ]);
    await h.execute([slack("https://hooks.slack.example/two")], plan);
    expect(h.sim.state.org().contactPoints.find((p) => p.name === "chat")?.secureSettings.url).toBe(
      "https://hooks.slack.example/two",
    );
  });
});
