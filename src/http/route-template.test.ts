import { describe, expect, it } from "vitest";
import { OVERFLOW_ROUTE, RouteLabels, routeTemplate } from "./route-template.ts";

describe("routeTemplate", () => {
  it.each([
    ["/api/v3/core/users/42/", "/api/v3/core/users/{id}/"],
    ["/api/v3/core/groups/5b3d0c6e-9d1a-4c57-9b8e-0f3a1c2d4e5f/", "/api/v3/core/groups/{id}/"],
    ["/containers/4f66ad7a0b1c2d3e/restart", "/containers/{id}/restart"],
    ["/api/serviceaccounts/tokens/glsa_AbCdEfGh12345678_deadbeef", "/api/serviceaccounts/tokens/{id}"],
    ["/v1/auth/token/lookup/hvs.CAESIJ1234567890abcdef", "/v1/auth/token/lookup/{id}"],
    [`/api/dashboards/uid/${"a".repeat(41)}`, "/api/dashboards/uid/{id}"],
    ["/api/v3/core/applications/?page=2&slug=grafana", "/api/v3/core/applications/"],
  ])("%s → %s", (path, template) => {
    expect(routeTemplate(path)).toBe(template);
  });

  it("keeps words, versions and slugs", () => {
    expect(routeTemplate("/api/v3/core/applications/grafana/")).toBe("/api/v3/core/applications/grafana/");
    expect(routeTemplate("/api/v1/provisioning/contact-points")).toBe("/api/v1/provisioning/contact-points");
    expect(routeTemplate("/api/decade/facade")).toBe("/api/decade/facade");
  });
});

describe("RouteLabels", () => {
  it("folds routes beyond the per-target cap into one label", () => {
    const labels = new RouteLabels(2);
    expect(labels.label("grafana", "/a")).toBe("/a");
    expect(labels.label("grafana", "/b")).toBe("/b");
    expect(labels.label("grafana", "/c")).toBe(OVERFLOW_ROUTE);
    expect(labels.label("grafana", "/a")).toBe("/a");
    expect(labels.label("authentik", "/c")).toBe("/c");
  });
});
