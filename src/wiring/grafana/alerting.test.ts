import { describe, expect, it } from "vitest";
import { homelabSchema } from "../../config/schema.ts";
import { contactPointResources, objectMatcher, policyResources } from "./alerting.ts";

const alerts = homelabSchema.parse({
  apiVersion: "autopilot/v1",
  domain: "lab.example.com",
  monitoring: {
    alerts: {
      contactPoints: [
        { name: "ops", type: "slack", settings: { url: "${secret:slack_url}", recipient: "#ops" } },
        { name: "mail", type: "email", settings: { addresses: "ops@lab.example.com" } },
      ],
      policy: {
        receiver: "mail",
        routes: [{ receiver: "ops", matchers: ["severity=~critical|page"], routes: [{ receiver: "pager" }] }],
      },
    },
  },
}).monitoring?.alerts;

describe("alerting wiring", () => {
  it("keeps settings given as secret references apart as write-only", () => {
    expect(contactPointResources(alerts)[0]?.spec).toEqual({
      name: "ops",
      type: "slack",
      settings: { recipient: "#ops" },
      secureSettings: { url: "${secret:slack_url}" },
      disableResolveMessage: false,
    });
  });

  it("turns matchers into Grafana's object matchers", () => {
    expect(objectMatcher("severity=~critical|page")).toEqual(["severity", "=~", "critical|page"]);
    expect(objectMatcher("team != ops")).toEqual(["team", "!=", "ops"]);
    expect(() => objectMatcher("not a matcher")).toThrow();
  });

  it("orders the policy after the contact points it names that the config declares", () => {
    const [policy] = policyResources(alerts);
    expect(policy?.dependsOn?.map((ref) => ref.key).sort()).toEqual(["mail", "ops"]);
    expect(policy?.spec).toEqual({
      receiver: "mail",
      routes: [
        {
          receiver: "ops",
          object_matchers: [["severity", "=~", "critical|page"]],
          routes: [{ receiver: "pager" }],
        },
      ],
    });
  });
});
