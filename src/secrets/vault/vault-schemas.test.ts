import { describe, expect, it } from "vitest";
import { healthSchema, parseVaultBody } from "./vault-schemas.ts";

describe("Vault response parsing", () => {
  it("refuses a body that is not what Vault sends, saying where to look", () => {
    expect(() => parseVaultBody(healthSchema, "<html>login</html>", "the health check")).toThrow(
      "Vault answered the health check with a body Autopilot does not understand",
    );
    expect(
      parseVaultBody(healthSchema, { initialized: true, sealed: false, standby: false }, "x"),
    ).toMatchObject({
      sealed: false,
    });
  });
});
