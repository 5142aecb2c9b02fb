import { describe, expect, it } from "vitest";
import { readCommittedSubset } from "./spec-subset.ts";
import { SpecValidator, SpecViolation } from "./spec-validator.ts";

const validator = new SpecValidator(readCommittedSubset());
const FLOW = "6f1b2c3d-0000-4000-8000-000000000000";

function errorsFor(operationId: string, body: unknown) {
  const check = validator.checkRequest(operationId, body);
  return check.ok ? undefined : check.errors;
}

describe("request validation with DRF's messages", () => {
  it("reports every missing required field at once", () => {
    expect(errorsFor("core_applications_create", {})).toEqual({
      name: ["This field is required."],
      slug: ["This field is required."],
    });
    expect(
      errorsFor("providers_oauth2_create", { name: "x", authorization_flow: FLOW, redirect_uris: [] }),
    ).toEqual({
      invalidation_flow: ["This field is required."],
    });
  });

  it("tells null, blank, wrong types, bad choices and bad formats apart", () => {
    expect(
      errorsFor("core_applications_create", {
        name: null,
        slug: "",
        provider: "abc",
        backchannel_providers: "1",
        policy_engine_mode: "most",
        meta_launch_url: "not a url",
        open_in_new_tab: "maybe",
      }),
    ).toEqual({
      name: ["This field may not be null."],
      slug: ["This field may not be blank."],
      provider: ["Incorrect type. Expected pk value, received str."],
      backchannel_providers: ['Expected a list of items but got type "str".'],
      policy_engine_mode: ['"most" is not a valid choice.'],
      meta_launch_url: ["Enter a valid URL."],
      open_in_new_tab: ["Must be a valid boolean."],
    });
    expect(errorsFor("core_applications_create", { name: "x", slug: "a b" })).toEqual({
      slug: ['Enter a valid "slug" consisting of letters, numbers, underscores or hyphens.'],
    });
    expect(errorsFor("core_users_create", { username: "u".repeat(151), name: 5, email: "nope" })).toEqual({
      username: ["Ensure this field has no more than 150 characters."],
      email: ["Enter a valid email address."],
    });
    expect(errorsFor("core_tokens_create", { identifier: "t", expires: "yesterday", intent: 3 })).toEqual({
      expires: [
        "Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].",
      ],
      intent: ['"3" is not a valid choice.'],
    });
    expect(errorsFor("core_applications_create", { name: ["x"], slug: { a: 1 } })).toEqual({
      name: ["Not a valid string."],
      slug: ["Not a valid string."],
    });
  });

  it("nests errors the way DRF nests serializers, relations and list fields", () => {
    expect(
      errorsFor("providers_oauth2_create", {
        name: "x",
        authorization_flow: "zzz",
        invalidation_flow: "",
        redirect_uris: "https://app/callback",
      }),
    ).toEqual({
      authorization_flow: ["“zzz” is not a valid UUID."],
      invalidation_flow: ["This field may not be null."],
      redirect_uris: { non_field_errors: ['Expected a list of items but got type "str".'] },
    });
    expect(
      errorsFor("providers_oauth2_create", {
        name: "x",
        authorization_flow: FLOW,
        invalidation_flow: FLOW,
        redirect_uris: [{ url: "x" }, { matching_mode: "strict", url: "y" }, "z"],
        grant_types: ["authorization_code", "magic"],
        property_mappings: [FLOW, "nope", "nope2"],
      }),
    ).toEqual({
      redirect_uris: [
        { matching_mode: ["This field is required."] },
        {},
        { non_field_errors: ["Invalid data. Expected a dictionary, but got str."] },
      ],
      grant_types: { 1: ['"magic" is not a valid choice.'] },
      property_mappings: ["“nope” is not a valid UUID."],
    });
    expect(errorsFor("core_groups_create", { name: "g", users: [1, null], attributes: [] })).toEqual({
      users: ['Invalid pk "None" - object does not exist.'],
      attributes: ["Value must be a dictionary, and not have any duplicate keys."],
    });
    expect(errorsFor("providers_oauth2_create", { name: "x", grant_types: "code" })).toMatchObject({
      grant_types: ['Expected a list of items but got type "str".'],
    });
  });

  it("coerces input as DRF does before judging it", () => {
    const check = validator.checkRequest("core_groups_create", {
      name: "  admins  ",
      is_superuser: "true",
      users: ["1", 2],
    });
    expect(check).toEqual({ ok: true, data: { name: "admins", is_superuser: true, users: [1, 2] } });
    const provider = validator.checkRequest("core_applications_create", { name: 7, slug: "s", provider: "" });
    expect(provider).toEqual({ ok: true, data: { name: "7", slug: "s", provider: null } });
  });

  it("rejects a body that is not an object", () => {
    expect(errorsFor("core_applications_create", [])).toEqual({
      non_field_errors: ["Invalid data. Expected a dictionary, but got list."],
    });
    expect(errorsFor("core_applications_create", null)).toEqual({ non_field_errors: ["No data provided"] });
  });

  it("ignores read-only and unknown fields in requests", () => {
    expect(validator.checkRequest("core_applications_create", { name: "a", slug: "a", pk: 5, x: 1 }).ok).toBe(
      true,
    );
  });

  it("knows which operations exist and refuses unknown ones", () => {
    expect(validator.operation("core_applications_list")).toMatchObject({
      method: "GET",
      path: "/core/applications/",
    });
    expect(() => validator.operation("nope")).toThrow(/no operation/);
    expect(() => validator.checkRequest("core_applications_list", {})).toThrow(/takes no request body/);
  });
});

describe("response validation", () => {
  it("throws a SpecViolation naming what is missing", () => {
    expect(() =>
      validator.checkResponse("core_applications_retrieve", 200, { name: "x", slug: "x" }),
    ).toThrow(SpecViolation);
    try {
      validator.checkResponse("admin_version_retrieve", 200, { version_current: "x" });
    } catch (error) {
      expect(String(error)).toMatch(/admin_version_retrieve.*version_latest/);
    }
  });

  it("accepts documented error bodies and skips undocumented statuses", () => {
    expect(() => validator.checkResponse("core_applications_create", 400, { slug: ["x"] })).not.toThrow();
    expect(() => validator.checkResponse("core_applications_create", 403, { detail: "no" })).not.toThrow();
    expect(() => validator.checkResponse("core_applications_retrieve", 404, { anything: 1 })).not.toThrow();
    expect(() => validator.checkResponse("core_applications_create", 403, { nope: 1 })).toThrow(
      SpecViolation,
    );
  });
});

describe("compiling up front", () => {
  it("compiles every operation's request and response validators, so no request compiles later", () => {
    const fresh = new SpecValidator(readCommittedSubset());
    expect(fresh.compiledCount).toBe(0);
    fresh.compileAll();
    const refs = new Set<string>();
    for (const operation of fresh.operations()) {
      if (operation.requestSchemaRef) refs.add(`request ${operation.requestSchemaRef}`);
      for (const ref of Object.values(operation.responses)) if (ref) refs.add(`response ${ref}`);
    }
    expect(fresh.compiledCount).toBe(refs.size);
    expect(fresh.compiledCount).toBeGreaterThan(40);
    expect(fresh.checkRequest("core_groups_create", { name: "admins" }).ok).toBe(true);
    expect(() => fresh.checkResponse("core_applications_retrieve", 200, { name: "x" })).toThrow(
      SpecViolation,
    );
    expect(fresh.compiledCount).toBe(refs.size);
  });
});
