import { describe, expect, it } from "vitest";
import { convertComponents, convertSchema } from "./openapi-to-json-schema.ts";

describe("OpenAPI 3.0 to JSON Schema", () => {
  const user = {
    type: "object",
    properties: {
      pk: { type: "integer", readOnly: true },
      password: { type: "string", writeOnly: true },
      name: { type: "string" },
    },
    required: ["pk", "password", "name"],
  };

  it("drops read-only properties from requests, so they are neither required nor checked", () => {
    expect(convertSchema(user, "request")).toEqual({
      type: "object",
      properties: { password: { type: "string", writeOnly: true }, name: { type: "string" } },
      required: ["password", "name"],
    });
  });

  it("does not require write-only properties in responses", () => {
    expect((convertSchema(user, "response") as { required: string[] }).required).toEqual(["pk", "name"]);
  });

  it("turns nullable into a null type, including for enums and wrapped references", () => {
    expect(convertSchema({ type: "string", nullable: true }, "response")).toEqual({
      type: ["string", "null"],
    });
    expect(convertSchema({ type: "string", enum: ["a"], nullable: true }, "response")).toEqual({
      type: ["string", "null"],
      enum: ["a", null],
    });
    expect(convertSchema({ allOf: [{ $ref: "#/components/schemas/X" }], nullable: true }, "request")).toEqual(
      {
        anyOf: [{ allOf: [{ $ref: "authentik-request.json#/components/schemas/X" }] }, { type: "null" }],
      },
    );
  });

  it("points references at the same direction's components and ignores keywords beside $ref", () => {
    expect(convertSchema({ $ref: "#/components/schemas/X", description: "ignored" }, "response")).toEqual({
      $ref: "authentik-response.json#/components/schemas/X",
    });
    expect(convertComponents({ X: { type: "string", example: "x" } }, "request")).toEqual({
      $id: "authentik-request.json",
      components: { schemas: { X: { type: "string" } } },
    });
  });
});
