import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { homelabJsonSchema, JSON_SCHEMA_FILE, JSON_SCHEMA_ID, renderJsonSchema } from "./json-schema.ts";

function compile() {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  return ajv.compile(JSON.parse(readFileSync(JSON_SCHEMA_FILE, "utf8")));
}

describe("schema/homelab.schema.json", () => {
  it("is up to date with src/config (run `npm run schema` when this fails)", () => {
    const committed = readFileSync(JSON_SCHEMA_FILE, "utf8");
    expect(committed === renderJsonSchema(), `${JSON_SCHEMA_FILE} is stale: run \`npm run schema\``).toBe(
      true,
    );
  });

  it("carries an $id and a title", () => {
    expect(homelabJsonSchema()).toMatchObject({
      $schema: "https://json-schema.org/draft/2020-12/schema",
      $id: JSON_SCHEMA_ID,
      title: "Homelab Autopilot configuration",
      additionalProperties: false,
    });
  });

  it("accepts the example and describes what a person writes (defaults optional)", () => {
    const validate = compile();
    expect(
      validate(parse(readFileSync("examples/homelab.yaml", "utf8"))),
      JSON.stringify(validate.errors),
    ).toBe(true);
    expect(validate({ apiVersion: "autopilot/v1", domain: "lab.example.com" })).toBe(true);
  });

  it("lets an editor flag typos, bad slugs and missing keys", () => {
    const validate = compile();
    expect(validate(parse(readFileSync("examples/broken/unknown-key.yaml", "utf8")))).toBe(false);
    expect(validate.errors?.[0]).toMatchObject({
      keyword: "additionalProperties",
      params: { additionalProperty: "sevices" },
    });
    expect(validate(parse(readFileSync("examples/broken/bad-slug.yaml", "utf8")))).toBe(false);
    expect(validate({ domain: "lab.example.com" })).toBe(false);
  });
});
