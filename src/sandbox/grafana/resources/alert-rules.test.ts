import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestGrafana, type TestGrafana } from "../../../../test/helpers/grafana-sim-client.ts";

const BASE = "/api/v1/provisioning/alert-rules";
const NO_PROVENANCE = { "x-disable-provenance": "1" };

function rule(folderUID: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: "Disk almost full",
    ruleGroup: "storage",
    folderUID,
    condition: "B",
    data: [
      {
        refId: "A",
        datasourceUid: "prom",
        relativeTimeRange: { from: 600, to: 0 },
        model: { expr: "disk_used" },
      },
      { refId: "B", datasourceUid: "__expr__", model: { type: "threshold", expression: "A" } },
    ],
    noDataState: "NoData",
    execErrState: "Error",
    for: "300s",
    orgID: 0,
    labels: { severity: "warning" },
    ...extra,
  };
}

describe("Grafana simulator alert rules", () => {
  let g: TestGrafana;
  let folderUid: string;
  beforeEach(async () => {
    g = await startTestGrafana();
    folderUid = (await g.api.post("/api/folders", { title: "Alerts" })).body.uid;
  });
  afterEach(async () => {
    await g.sim.close();
  });

  it("creates with 201, provenance api, the org's id and the duration re-rendered", async () => {
    const created = await g.api.post(BASE, rule(folderUid));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      uid: expect.any(String),
      orgID: 1,
      folderUID: folderUid,
      for: "5m",
      provenance: "api",
      labels: { severity: "warning" },
      notification_settings: null,
      record: null,
    });
    expect(created.body.annotations).toBeUndefined();
    expect((await g.api.get(`${BASE}/${created.body.uid}`)).body.title).toBe("Disk almost full");
    expect((await g.api.get(BASE)).body).toHaveLength(1);
  });

  it("answers a bare 404 for an unknown rule on GET and PUT", async () => {
    const get = await g.api.get(`${BASE}/nope`);
    expect([get.status, get.text]).toEqual([404, ""]);
    const put = await g.api.put(`${BASE}/nope`, rule(folderUid));
    expect([put.status, put.text]).toEqual([404, ""]);
  });

  it("validates required fields with 'invalid alert rule' messages and needs an existing folder", async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [rule(""), "invalid alert rule: folderUID must be set"],
      [rule("missing"), "invalid alert rule: folder does not exist"],
      [rule(folderUid, { data: [] }), "invalid alert rule: no queries or expressions are found"],
      [rule(folderUid, { title: "" }), "invalid alert rule: title is empty"],
      [rule(folderUid, { condition: "" }), "invalid alert rule: condition cannot be empty"],
      [
        rule(folderUid, { condition: "C" }),
        "invalid alert rule: condition C does not exist, must be one of [A,B]",
      ],
      [rule(folderUid, { ruleGroup: "" }), "invalid alert rule: rule group name cannot be empty"],
      [rule(folderUid, { noDataState: undefined }), "invalid alert rule: unknown NoData state option "],
      [rule(folderUid, { execErrState: "Panic" }), "invalid alert rule: unknown Error state option Panic"],
    ];
    for (const [body, message] of cases) {
      const response = await g.api.post(BASE, body);
      expect([response.status, response.body]).toEqual([400, { message }]);
    }
    const badDuration = await g.api.post(BASE, rule(folderUid, { for: "five minutes" }));
    expect([badDuration.status, badDuration.body]).toEqual([400, { message: "bad request data" }]);
    const badType = await g.api.post(BASE, rule(folderUid, { title: 42 }));
    expect(badType.body).toEqual({ message: "bad request data" });
  });

  it("updates with 200 and refuses a uid that exists on create", async () => {
    const created = (await g.api.post(BASE, rule(folderUid, { uid: "disk-full" }))).body;
    const updated = await g.api.put(
      `${BASE}/disk-full`,
      rule(folderUid, { for: "90m", annotations: { summary: "s" } }),
    );
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      id: created.id,
      uid: "disk-full",
      for: "1h30m",
      annotations: { summary: "s" },
    });
    const dup = await g.api.post(BASE, rule(folderUid, { uid: "disk-full" }));
    expect(dup.status).toBe(400);
  });

  it("refuses to switch provenance from api to none: 500 on PUT, 409 on DELETE", async () => {
    await g.api.post(BASE, rule(folderUid, { uid: "r" }));
    const put = await g.api.put(`${BASE}/r`, rule(folderUid), NO_PROVENANCE);
    expect([put.status, put.body]).toEqual([500, { message: "cannot change provenance from 'api' to ''" }]);
    const del = await g.api.delete(`${BASE}/r`, NO_PROVENANCE);
    expect([del.status, del.body]).toEqual([
      409,
      {
        message: "cannot delete with provided provenance '', needs 'api'",
        messageId: "alerting.provenanceMismatch",
        statusCode: 409,
      },
    ]);
  });

  it("creates without provenance under X-Disable-Provenance and deletes with 204, idempotently", async () => {
    const created = await g.api.post(BASE, rule(folderUid, { uid: "ui-owned" }), NO_PROVENANCE);
    expect(created.body.provenance).toBeUndefined();
    const removed = await g.api.delete(`${BASE}/ui-owned`, NO_PROVENANCE);
    expect([removed.status, removed.text]).toEqual([204, ""]);
    expect((await g.api.delete(`${BASE}/ui-owned`)).status).toBe(204);
  });

  it("blocks deleting a contact point that a rule's notification settings use", async () => {
    await g.api.post("/api/v1/provisioning/contact-points", {
      name: "pager",
      type: "webhook",
      settings: { url: "https://pager.example/hook" },
    });
    const points = (await g.api.get("/api/v1/provisioning/contact-points?name=pager")).body;
    await g.api.post(BASE, rule(folderUid, { notification_settings: { receiver: "pager" } }));
    const blocked = await g.api.delete(`/api/v1/provisioning/contact-points/${points[0].uid}`);
    expect([blocked.status, blocked.body.messageId]).toEqual([
      409,
      "alerting.notifications.contact-points.used-by-rule",
    ]);
  });

  it("accepts KeepLast, which the generated enum predates", async () => {
    const created = await g.api.post(
      BASE,
      rule(folderUid, { noDataState: "KeepLast", execErrState: "KeepLast" }),
    );
    expect([created.status, created.body.noDataState, created.body.execErrState]).toEqual([
      201,
      "KeepLast",
      "KeepLast",
    ]);
  });
});
