import { describe, expect, it } from "vitest";
import { MAX_EXCERPT_LENGTH, summarizeErrorBody } from "./error-body.ts";

describe("summarizeErrorBody", () => {
  it("quotes Authentik's detail", () => {
    expect(summarizeErrorBody({ detail: "Token invalid/expired" })).toBe("Token invalid/expired");
  });

  it("lists DRF field errors with their field names, non-field errors without", () => {
    const body = {
      slug: ["Application with this slug already exists."],
      redirect_uris: [{ url: ["This field is required."] }, {}],
      non_field_errors: ["Something about the whole object."],
    };
    expect(summarizeErrorBody(body)).toBe(
      "slug: Application with this slug already exists.; redirect_uris: url: This field is required.; Something about the whole object.",
    );
  });

  it("quotes Grafana's message with its status", () => {
    expect(
      summarizeErrorBody({
        message: "The dashboard has been changed by someone else",
        status: "version-mismatch",
      }),
    ).toBe("The dashboard has been changed by someone else (version-mismatch)");
  });

  it("joins Vault's errors array", () => {
    expect(summarizeErrorBody({ errors: ["permission denied", "second"] })).toBe("permission denied second");
  });

  it("takes the first line of a text body and ignores HTML pages", () => {
    expect(summarizeErrorBody("  upstream connect error\nmore detail")).toBe("upstream connect error");
    expect(summarizeErrorBody("<html><body>502 Bad Gateway</body></html>")).toBeUndefined();
  });

  it("says nothing for bodies with nothing to quote", () => {
    expect(summarizeErrorBody(undefined)).toBeUndefined();
    expect(summarizeErrorBody("")).toBeUndefined();
    expect(summarizeErrorBody({ count: 3 })).toBeUndefined();
    expect(summarizeErrorBody(42)).toBeUndefined();
    expect(summarizeErrorBody([])).toBeUndefined();
  });

  it("quotes a bare array of messages", () => {
    expect(summarizeErrorBody(["one", "two"])).toBe("one two");
  });

  it("cuts long excerpts", () => {
    const excerpt = summarizeErrorBody({ detail: "x".repeat(1000) });
    expect(excerpt).toHaveLength(MAX_EXCERPT_LENGTH);
    expect(excerpt?.endsWith("…")).toBe(true);
  });
});
