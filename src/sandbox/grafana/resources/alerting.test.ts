import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestGrafana, type TestGrafana } from "../../../../test/helpers/grafana-sim-client.ts";

const BASE = "/api/v1/provisioning";
const NO_PROVENANCE = { "x-disable-provenance": "true" };
const slack = {
  name: "ops-slack",
  type: "slack",
  settings: { url: "https://hooks.slack.com/services/T/B/secret", recipient: "#ops" },
};

describe("Grafana simulator alerting: contact points and policies", () => {
  let g: TestGrafana;
  beforeEach(async () => {
    g = await startTestGrafana();
  });
  afterEach(async () => {
    await g.sim.close();
  });

  it("lists the default email contact point and filters by name", async () => {
    const all = await g.api.get(`${BASE}/contact-points`);
    expect(all.body).toEqual([
      expect.objectContaining({
        name: "grafana-default-email",
        type: "email",
        settings: { addresses: "<example@email.com>" },
      }),
    ]);
    expect(all.body[0].provenance).toBeUndefined();
    expect((await g.api.get(`${BASE}/contact-points?name=nope`)).body).toEqual([]);
  });

  it("creates with 202, stamps provenance api and masks secret settings", async () => {
    const created = await g.api.post(`${BASE}/contact-points`, slack);
    expect(created.status).toBe(202);
    expect(created.body).toMatchObject({
      name: "ops-slack",
      provenance: "api",
      settings: { url: "[REDACTED]", recipient: "#ops" },
    });
    const listed = await g.api.get(`${BASE}/contact-points?name=ops-slack`);
    expect(listed.body[0].settings.url).toBe("[REDACTED]");
    expect(listed.text).not.toContain("secret");
  });

  it("leaves provenance empty (omitted) when X-Disable-Provenance is present, whatever its value", async () => {
    const created = await g.api.post(`${BASE}/contact-points`, slack, { "x-disable-provenance": "" });
    expect(created.body.provenance).toBeUndefined();
  });

  it("updates with 202 {message}, keeps a secret sent back as [REDACTED], and 404s an unknown uid", async () => {
    const { uid } = (await g.api.post(`${BASE}/contact-points`, slack)).body;
    const updated = await g.api.put(`${BASE}/contact-points/${uid}`, {
      ...slack,
      settings: { url: "[REDACTED]", recipient: "#alerts" },
    });
    expect([updated.status, updated.body]).toEqual([202, { message: "contactpoint updated" }]);
    const stored = g.sim.state.org().contactPoints.find((p) => p.uid === uid);
    expect(stored?.secureSettings.url).toBe(slack.settings.url);
    expect(stored?.settings.recipient).toBe("#alerts");
    const missing = await g.api.put(`${BASE}/contact-points/nope`, slack);
    expect([missing.status, missing.body]).toEqual([
      404,
      { message: "object not found: contact point with uid 'nope' not found" },
    ]);
  });

  it("refuses switching provenance from api to none with Grafana's 500", async () => {
    const { uid } = (await g.api.post(`${BASE}/contact-points`, slack)).body;
    const switched = await g.api.put(`${BASE}/contact-points/${uid}`, slack, NO_PROVENANCE);
    expect([switched.status, switched.body]).toEqual([
      500,
      { message: "cannot change provenance from 'api' to ''" },
    ]);
  });

  it("lets an object without provenance be taken over by the API (none -> api is allowed)", async () => {
    const { uid } = (await g.api.post(`${BASE}/contact-points`, slack, NO_PROVENANCE)).body;
    expect((await g.api.put(`${BASE}/contact-points/${uid}`, slack)).status).toBe(202);
    expect((await g.api.get(`${BASE}/contact-points?name=ops-slack`)).body[0].provenance).toBe("api");
  });

  it("validates integrations and refuses a uid that is taken", async () => {
    const invalid = await g.api.post(`${BASE}/contact-points`, {
      name: "hook",
      type: "webhook",
      settings: {},
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.message).toMatch(/^invalid object specification: .*url/);
    const noSettings = await g.api.post(`${BASE}/contact-points`, { name: "x", type: "webhook" });
    expect([noSettings.status, noSettings.body]).toEqual([400, { message: "bad request data" }]);
    await g.api.post(`${BASE}/contact-points`, { ...slack, uid: "fixed" });
    const taken = await g.api.post(`${BASE}/contact-points`, { ...slack, name: "other", uid: "fixed" });
    expect(taken.status).toBe(500);
    expect(taken.body.message).toContain("Receiver configuration with UID 'fixed' already exists");
  });

  it("deletes with 202, idempotently, but not while a policy routes to it", async () => {
    const { uid } = (await g.api.post(`${BASE}/contact-points`, slack)).body;
    await g.api.put(`${BASE}/policies`, {
      receiver: "grafana-default-email",
      routes: [{ receiver: "ops-slack" }],
    });
    const blocked = await g.api.delete(`${BASE}/contact-points/${uid}`);
    expect([blocked.status, blocked.body.messageId]).toEqual([
      409,
      "alerting.notifications.contact-points.referenced",
    ]);
    await g.api.put(`${BASE}/policies`, { receiver: "grafana-default-email" });
    expect((await g.api.delete(`${BASE}/contact-points/${uid}`)).body).toEqual({
      message: "contactpoint deleted",
    });
    expect((await g.api.delete(`${BASE}/contact-points/${uid}`)).status).toBe(202);
  });

  it("renames a receiver in the policy tree when its contact point is renamed", async () => {
    const { uid } = (await g.api.post(`${BASE}/contact-points`, slack)).body;
    await g.api.put(`${BASE}/policies`, { receiver: "ops-slack" });
    await g.api.put(`${BASE}/contact-points/${uid}`, { ...slack, name: "team-slack" });
    expect((await g.api.get(`${BASE}/policies`)).body.receiver).toBe("team-slack");
  });

  it("replaces the policy tree with 202 and refuses a receiver that does not exist", async () => {
    const tree = {
      receiver: "grafana-default-email",
      group_by: ["alertname"],
      routes: [{ receiver: "grafana-default-email", object_matchers: [["severity", "=", "critical"]] }],
    };
    const put = await g.api.put(`${BASE}/policies`, tree);
    expect([put.status, put.body]).toEqual([202, { message: "policies updated" }]);
    expect((await g.api.get(`${BASE}/policies`)).body).toEqual({ ...tree, provenance: "api" });
    const unknown = await g.api.put(`${BASE}/policies`, {
      receiver: "grafana-default-email",
      routes: [{ receiver: "ghost" }],
    });
    expect([unknown.status, unknown.body]).toEqual([
      400,
      {
        message:
          "Invalid format of the submitted route: receiver 'ghost' does not exist. Correct the payload and try again.",
        messageId: "alerting.notifications.routes.invalidFormat",
        statusCode: 400,
      },
    ]);
    expect((await g.api.put(`${BASE}/policies`, { group_by: ["x"] })).status).toBe(400);
    expect(
      (
        await g.api.put(`${BASE}/policies`, {
          receiver: "grafana-default-email",
          mute_time_intervals: ["night"],
        })
      ).status,
    ).toBe(400);
  });

  it("accepts matchers as strings, the way Grafana sends them", async () => {
    const tree = {
      receiver: "grafana-default-email",
      routes: [{ receiver: "grafana-default-email", matchers: ["severity=critical"] }],
    };
    expect((await g.api.put(`${BASE}/policies`, tree)).status).toBe(202);
    expect((await g.api.get(`${BASE}/policies`)).body.routes[0].matchers).toEqual(["severity=critical"]);
  });

  it("refuses to hand an api-owned tree back to none (403) and resets to the default with DELETE", async () => {
    await g.api.put(`${BASE}/policies`, { receiver: "grafana-default-email", group_by: ["x"] });
    const handBack = await g.api.put(
      `${BASE}/policies`,
      { receiver: "grafana-default-email" },
      NO_PROVENANCE,
    );
    expect([handBack.status, handBack.body.messageId]).toEqual([
      403,
      "alerting.notifications.invalidProvenance",
    ]);
    expect((await g.api.delete(`${BASE}/policies`, NO_PROVENANCE)).status).toBe(403);
    const reset = await g.api.delete(`${BASE}/policies`);
    expect([reset.status, reset.body]).toEqual([
      202,
      { receiver: "grafana-default-email", group_by: ["grafana_folder", "alertname"] },
    ]);
    expect((await g.api.get(`${BASE}/policies`)).body.provenance).toBeUndefined();
  });

  it("needs Admin: an Editor gets the RBAC 403", async () => {
    const editor = g.as(g.sim.createServiceAccountToken({ role: "Editor" }).key);
    expect((await editor.get(`${BASE}/contact-points`)).status).toBe(403);
  });
});
