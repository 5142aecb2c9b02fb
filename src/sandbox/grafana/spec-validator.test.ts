import { afterEach, describe, expect, it } from "vitest";
import { startTestGrafana, type TestGrafana } from "../../../test/helpers/grafana-sim-client.ts";
import { SCHEMA_DEVIATIONS, UNDECLARED_STATUSES } from "./spec-deviations.ts";
import { convertSchema, GrafanaSpecValidator, loadGrafanaSpec, SpecViolation } from "./spec-validator.ts";

describe("Grafana spec validator", () => {
  const validator = new GrafanaSpecValidator();
  const op = (method: string, path: string) => {
    const found = validator.operationFor(method, path);
    if (!found) throw new Error(`no operation for ${method} ${path}`);
    return found;
  };

  it("maps every operation of the subset, literal paths before parameters", () => {
    expect(validator.operations.length).toBe(47);
    expect(op("GET", "/api/serviceaccounts/search").operationId).toBe("searchOrgServiceAccountsWithPaging");
    expect(op("GET", "/api/serviceaccounts/12").operationId).toBe("retrieveServiceAccount");
    expect(op("PUT", "/api/v1/provisioning/contact-points/abc").operationId).toBe("RoutePutContactpoint");
    expect(validator.operationFor("GET", "/api/not-in-spec")).toBeUndefined();
  });

  it("can compile every operation's validators up front, so no request compiles later", () => {
    const fresh = new GrafanaSpecValidator();
    expect(fresh.compiledCount).toBe(0);
    fresh.compileAll();
    const expected = fresh.operations.reduce(
      (count, operation) =>
        count +
        (operation.requestSchema === undefined ? 0 : 1) +
        [...operation.responses.values()].filter((response) => response.schema !== undefined).length,
      0,
    );
    expect(fresh.compiledCount).toBe(expected);
    expect(fresh.compiledCount).toBeGreaterThan(47);
    const create = fresh.operationFor("POST", "/api/datasources");
    if (!create) throw new Error("no datasource create");
    expect(fresh.requestErrors(create, { name: 5, type: "prometheus", access: "proxy" })).not.toEqual([]);
    expect(fresh.compiledCount).toBe(expected);
  });

  it("accepts valid request bodies and explains invalid ones", () => {
    const create = op("POST", "/api/datasources");
    expect(validator.requestErrors(create, { name: "p", type: "prometheus", access: "proxy" })).toEqual([]);
    expect(validator.requestErrors(create, { name: 5, type: "prometheus", access: "proxy" })).not.toEqual([]);
    expect(validator.requestErrors(op("GET", "/api/datasources"), "anything")).toEqual([]);
  });

  it("applies the server deviations: datasource create needs type and access", () => {
    const create = op("POST", "/api/datasources");
    expect(validator.requestErrors(create, { name: "p" }).join(" ")).toContain("type");
  });

  it("checks responses: declared statuses, bodies, nulls and undeclared-but-known statuses", () => {
    const save = op("POST", "/api/dashboards/db");
    // The server sends slug and no title: accepted through the deviation list.
    expect(() =>
      validator.assertResponse(save, 200, {
        id: 1,
        uid: "u",
        url: "/d/u/s",
        status: "success",
        version: 1,
        slug: "s",
      }),
    ).not.toThrow();
    expect(() => validator.assertResponse(save, 200, { id: "1" })).toThrow(SpecViolation);
    expect(() => validator.assertResponse(save, 299, {})).toThrow(/not declared/);
    const tokens = op("GET", "/api/serviceaccounts/1/tokens");
    expect(() =>
      validator.assertResponse(tokens, 200, [{ id: 1, name: "t", expiration: null, lastUsedAt: null }]),
    ).not.toThrow();
    const getRule = op("GET", "/api/v1/provisioning/alert-rules/x");
    expect(() => validator.assertResponse(getRule, 404, undefined)).not.toThrow();
    expect(() => validator.assertResponse(getRule, 404, { message: "x" })).toThrow(/no body/);
    expect(() => validator.assertResponse(save, 200, undefined)).toThrow(/sent none/);
    const ssoPut = op("PUT", "/api/v1/sso-settings/github");
    expect(() =>
      validator.assertResponse(ssoPut, 404, { message: "The provider was not found." }),
    ).not.toThrow();
  });

  it("names only schemas, operations and properties the spec has", () => {
    const spec = loadGrafanaSpec();
    for (const deviation of SCHEMA_DEVIATIONS)
      expect(spec.components.schemas[deviation.schema]).toBeDefined();
    const ids = new Set(validator.operations.map((o) => o.operationId));
    for (const undeclared of UNDECLARED_STATUSES) expect(ids.has(undeclared.operationId)).toBe(true);
  });

  it("converts OpenAPI 3.0: nullable, readOnly in requests, writeOnly forbidden in responses", () => {
    const schema = {
      type: "object",
      required: ["id", "secret", "name"],
      properties: {
        id: { type: "integer", readOnly: true },
        secret: { type: "string", writeOnly: true },
        name: { type: "string", nullable: true, enum: ["a"] },
        ref: { allOf: [{ $ref: "#/components/schemas/X" }], nullable: true },
      },
      example: { id: 1 },
      "x-go-name": "Thing",
    };
    expect(convertSchema(schema, "request")).toEqual({
      type: "object",
      required: ["secret", "name"],
      properties: {
        id: { type: "integer" },
        secret: { type: "string" },
        name: { type: ["string", "null"], enum: ["a", null] },
        ref: { anyOf: [{ allOf: [{ $ref: "grafana-request#/components/schemas/X" }] }, { type: "null" }] },
      },
    });
    const response = convertSchema(schema, "response") as {
      required: string[];
      properties: Record<string, unknown>;
    };
    expect(response.required).toEqual(["id", "name"]);
    expect(response.properties.secret).toBe(false);
    expect(convertSchema({ required: ["a"], properties: { a: { readOnly: true } } }, "request")).toEqual({
      properties: { a: {} },
    });
  });
});

describe("Grafana simulator spec enforcement on the wire", () => {
  let g: TestGrafana | undefined;
  afterEach(async () => {
    await g?.sim.close();
    g = undefined;
  });

  it("answers a body that does not fit the spec with 400 bad request data", async () => {
    g = await startTestGrafana();
    const wrongType = await g.api.post("/api/folders", { title: ["not", "a", "string"] });
    expect([wrongType.status, wrongType.body]).toEqual([400, { message: "bad request data" }]);
    const notJson = await g.api.post("/api/folders", "{not json", { "content-type": "application/json" });
    expect(notJson.body).toEqual({ message: "bad request data" });
  });

  it("refuses a body sent without Content-Type: application/json, as web.Bind does", async () => {
    g = await startTestGrafana();
    const plain = await g.api.post("/api/folders", JSON.stringify({ title: "x" }), {
      "content-type": "text/plain",
    });
    expect([plain.status, plain.body]).toEqual([400, { message: "bad request data" }]);
    const charset = await g.api.post(
      "/api/folders",
      { title: "x" },
      { "content-type": "application/json; charset=utf-8" },
    );
    expect(charset.status).toBe(200);
    const empty = await g.api.request("POST", "/api/teams", undefined, {
      "content-type": "application/json",
    });
    expect(empty.body).toEqual({ message: "bad request data" });
  });

  it("turns a response that breaks the spec into a 500 and a message on stderr", async () => {
    g = await startTestGrafana();
    const { body } = await g.api.post("/api/folders", { title: "Broken" });
    // Corrupt the stored record so the simulator's own answer breaks the Folder schema.
    const record = g.sim.state.org().folders.get(body.uid);
    if (!record) throw new Error("folder not stored");
    (record as unknown as { version: string }).version = "one";
    const stderr = process.stderr.write;
    let logged = "";
    process.stderr.write = ((chunk: string) => {
      logged += chunk;
      return true;
    }) as typeof process.stderr.write;
    try {
      const response = await g.api.get(`/api/folders/${body.uid}`);
      expect(response.status).toBe(500);
    } finally {
      process.stderr.write = stderr;
    }
    expect(logged).toContain("SpecViolation");
    expect(logged).toContain("/version");
  });
});
