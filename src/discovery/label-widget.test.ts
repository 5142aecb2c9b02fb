import { afterEach, describe, expect, it } from "vitest";
import { redactor } from "../secrets/redactor.ts";
import { widgetFromLabels } from "./label-widget.ts";

const context = { autoCredentials: new Set<string>(), hrefKnown: true };
const labelOf = (path: string) => `homepage.${path}`;
const check = (widget: unknown, secrets: Record<string, string> = {}) =>
  widgetFromLabels(widget, "widget", labelOf, secrets, context);

describe("a widget from labels", () => {
  afterEach(() => redactor.clear());

  it("accepts header placeholders, parses highlight JSON and keeps nested lists of maps", () => {
    const result = check({
      type: "customapi",
      url: "http://api",
      headers: { Authorization: "Bearer {{HOMEPAGE_FILE_API_TOKEN}}", "X-Tenant": "lab" },
      highlight: '{"status":{"string":{"good":"ok"}}}',
      mappings: [{ field: "a", label: "A", format: "number" }],
      refreshInterval: "10000",
    });
    expect(result.problems).toEqual([]);
    expect(result.widget).toEqual({
      type: "customapi",
      url: "http://api",
      headers: { Authorization: "Bearer {{HOMEPAGE_FILE_API_TOKEN}}", "X-Tenant": "lab" },
      highlight: { status: { string: { good: "ok" } } },
      mappings: [{ field: "a", label: "A", format: "number" }],
      refreshInterval: "10000",
    });
  });

  it("warns when an autopilot.widget secret replaces a homepage.widget option, and when 'false' would count as true", () => {
    const result = check(
      { type: "sonarr", url: "http://s", key: "{{HOMEPAGE_VAR_OLD}}", hideErrors: "false" },
      { key: "${secret:homepage_sonarr}" },
    );
    expect(result.widget?.key).toBe("${secret:homepage_sonarr}");
    expect(result.warnings.map((w) => [w.label, w.reason])).toEqual([
      ["homepage.widget.key", "is overridden by autopilot.widget.key"],
    ]);
    const flag = check({ type: "glances", url: "http://g", metric: "cpu", chart: "false" });
    expect(flag.widget?.chart).toBe("false");
    expect(flag.warnings).toEqual([
      { label: "homepage.widget.chart", reason: expect.stringContaining("counts as true in Homepage") },
    ]);
  });

  it.each([
    ["one value for the whole widget", "sonarr", "homepage.widget", "not as one value"],
    [
      "a literal Authorization header",
      { type: "customapi", url: "http://a", mappings: [], headers: { Authorization: "Bearer abc123456" } },
      "homepage.widget.headers.Authorization",
      "credential",
    ],
    [
      "a header with a dotted or odd name",
      { type: "customapi", url: "http://a", mappings: [], headers: { "Bad Name": "x" } },
      "homepage.widget.headers.Bad Name",
      "one header",
    ],
    [
      "headers as one value",
      { type: "customapi", url: "http://a", mappings: [], headers: "x" },
      "homepage.widget.headers",
      "headers.<Name>",
    ],
    [
      "a placeholder in a header that is not a credential",
      { type: "customapi", url: "http://a", mappings: [], headers: { "X-A": "{{HOMEPAGE_VAR_A}} x" } },
      "homepage.widget.headers.X-A",
      "placeholder",
    ],
    [
      "a javascript: URL in any option",
      { type: "customapi", url: "http://a", mappings: [], display: "javascript:alert(1)" },
      "homepage.widget.display",
      "javascript:",
    ],
    [
      "an option name with odd characters",
      { type: "customapi", url: "http://a", mappings: [], "we ird": "x" },
      "homepage.widget.we ird",
      "option name",
    ],
    [
      "nesting that is too deep",
      { type: "customapi", url: "http://a", mappings: [{ a: { b: { c: { d: "x" } } } }] },
      "homepage.widget.mappings.0.a.b.c",
      "deeper",
    ],
    [
      "a list that is too long",
      { type: "customapi", url: "http://a", mappings: Array.from({ length: 51 }, () => ({})) },
      "homepage.widget.mappings",
      "more than 50",
    ],
    [
      "a map that is too wide",
      {
        type: "customapi",
        url: "http://a",
        mappings: [Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"]))],
      },
      "homepage.widget.mappings.0",
      "more than 50",
    ],
    [
      "an odd key inside a nested map",
      { type: "customapi", url: "http://a", mappings: [{ "a b": "x" }] },
      "homepage.widget.mappings.0.a b",
      "option name",
    ],
    [
      "a placeholder in a nested value",
      { type: "customapi", url: "http://a", mappings: [{ field: "{{HOMEPAGE_VAR_X}}" }] },
      "homepage.widget.mappings.0.field",
      "placeholder",
    ],
    [
      "a bad URL",
      { type: "sonarr", url: "ftp://s", key: "{{HOMEPAGE_VAR_K}}" },
      "homepage.widget.url",
      "http",
    ],
    [
      "a non-boolean JSON-parsed option",
      { type: "sonarr", url: "http://s", key: "{{HOMEPAGE_VAR_K}}", enableQueue: "yes" },
      "homepage.widget.enableQueue",
      "exactly true or false",
    ],
  ])("refuses %s", (_what, widget, label, reason) => {
    const result = check(widget);
    expect(result.widget).toBeUndefined();
    expect(result.problems).toContainEqual({ label, reason: expect.stringContaining(reason) });
  });
});
