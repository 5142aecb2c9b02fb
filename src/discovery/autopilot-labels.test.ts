import { describe, expect, it } from "vitest";
import { parseAutopilotLabels } from "./autopilot-labels.ts";

describe("autopilot.* labels", () => {
  it("reads every documented label with the config's rules", () => {
    const { labels, problems } = parseAutopilotLabels({
      "autopilot.name": "TV",
      "autopilot.group": "Media",
      "autopilot.slug": "tv",
      "autopilot.sso": "oidc",
      "autopilot.sso.redirect": "https://tv.example.com/cb, https://tv.example.com/cb2",
      "autopilot.health": "https://tv.example.com/health",
      "autopilot.depends_on": "postgres,redis",
      "autopilot.update": "rolling",
      "autopilot.monitor": "true",
      "autopilot.heal": "false",
      "autopilot.alert": "true",
      "autopilot.widget.key": "${secret:homepage_tv_key}",
      "autopilot.widget.password": "${secret:homepage_tv_password}",
      "homepage.name": "ignored here",
    });
    expect(problems).toEqual([]);
    expect(labels).toMatchObject({
      name: "TV",
      group: "Media",
      slug: "tv",
      sso: "oidc",
      redirectUris: ["https://tv.example.com/cb", "https://tv.example.com/cb2"],
      health: "https://tv.example.com/health",
      dependsOn: ["postgres", "redis"],
      update: "rolling",
      monitor: true,
      heal: false,
      alert: true,
      widgetSecrets: { key: "${secret:homepage_tv_key}", password: "${secret:homepage_tv_password}" },
    });
    expect(labels.setBy.get("redirectUris")).toBe("autopilot.sso.redirect");
  });

  it.each([
    ["autopilot.sso", "saml", "must be one of oidc, proxy, none"],
    ["autopilot.update", "auto", "must be one of rolling, manual"],
    ["autopilot.monitor", "yes", "must be true or false"],
    ["autopilot.sso.redirect", "javascript:x", "javascript"],
    ["autopilot.sso.redirect", " , ", "at least one URL"],
    ["autopilot.depends_on", "ok, bad\nname", "has an entry that"],
    ["autopilot.slug", "Not A Slug", "lowercase"],
    ["autopilot.widget.url", "${secret:homepage_x}", "names no widget credential"],
    ["autopilot.widget.key", "${secret:", "not a valid secret reference"],
    ["autopilot.widget.key", "${env:HOME}", "homepage_"],
    ["autopilot.widget.key", "plain-literal-key", "homepage_"],
    ["autopilot.nmae", "x", "did you mean autopilot.name"],
    ["autopilot.zzzzzzzz", "x", "is not an Autopilot label"],
  ])("refuses %s=%j", (label, value, reason) => {
    const { problems } = parseAutopilotLabels({ [label]: value });
    expect(problems).toEqual([{ label, reason: expect.stringContaining(reason) }]);
  });
});
