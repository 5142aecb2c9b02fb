import { describe, expect, it } from "vitest";
import { Router } from "./router.ts";

describe("Router", () => {
  const router = new Router<string>()
    .add("GET", "/api/v3/core/applications/", "list")
    .add("GET", "/api/v3/core/applications/:slug/", "get")
    .add("PATCH", "/api/v3/core/applications/:slug/", "patch")
    .add("GET", "/v1/:mount/data/*path", "kv");

  it("matches literal and parameter segments, trailing slash included", () => {
    expect(router.match("GET", "/api/v3/core/applications/")).toEqual({ handler: "list", params: {} });
    expect(router.match("GET", "/api/v3/core/applications/my%20app/")).toEqual({
      handler: "get",
      params: { slug: "my app" },
    });
  });

  it("does not match without the trailing slash", () => {
    expect(router.match("GET", "/api/v3/core/applications/grafana")).toBeUndefined();
    expect(router.match("GET", "/api/v3/core/applications")).toBeUndefined();
  });

  it("captures the rest of the path with a star", () => {
    expect(router.match("GET", "/v1/secret/data/apps/grafana")).toEqual({
      handler: "kv",
      params: { mount: "secret", path: "apps/grafana" },
    });
    expect(router.match("GET", "/v1/secret/data/")).toBeUndefined();
  });

  it("tells a wrong method from an unknown path", () => {
    expect(router.match("DELETE", "/api/v3/core/applications/x/")).toBe("method-not-allowed");
    expect(router.methodsFor("/api/v3/core/applications/x/")).toEqual(["GET", "PATCH"]);
    expect(router.match("GET", "/nope")).toBeUndefined();
  });

  it("keeps a malformed escape as it is", () => {
    expect(router.match("GET", "/api/v3/core/applications/%E0%A4%A/")).toMatchObject({
      params: { slug: "%E0%A4%A" },
    });
  });
});
