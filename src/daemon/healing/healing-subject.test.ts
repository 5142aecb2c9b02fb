import { describe, expect, it } from "vitest";
import type { ContainerEvent } from "./docker-events.ts";
import { namesOf, subjectFromLabels } from "./healing-subject.ts";

const event = (labels: Record<string, string>, name = "lab-sonarr-1"): ContainerEvent => ({
  id: "abc",
  name,
  action: "health_status",
  health: "unhealthy",
  labels,
  timeNano: 0n,
});

describe("healing subjects from labels", () => {
  it("lets autopilot.heal override the policy either way", () => {
    expect(subjectFromLabels(event({ "autopilot.heal": "true" }), false).heal).toBe(true);
    expect(subjectFromLabels(event({ "autopilot.heal": "false" }), true).heal).toBe(false);
    expect(subjectFromLabels(event({}), true).heal).toBe(true);
  });

  it("reads dependencies from autopilot.depends_on and Compose's depends_on", () => {
    const subject = subjectFromLabels(
      event({
        "autopilot.depends_on": "postgres, redis",
        "com.docker.compose.depends_on": "postgres:service_healthy:false,nas:service_started:true",
      }),
      false,
    );
    expect(subject.dependsOn).toEqual(["postgres", "redis", "nas"]);
  });

  it("names the service from autopilot, Homepage or Compose labels, else the container", () => {
    expect(subjectFromLabels(event({ "homepage.name": "Sonarr" }), false).service).toBe("Sonarr");
    expect(
      subjectFromLabels(event({ "autopilot.name": "TV", "homepage.name": "Sonarr" }), false).service,
    ).toBe("TV");
    expect(subjectFromLabels(event({}), false).service).toBe("lab-sonarr-1");
    expect(namesOf(event({ "com.docker.compose.service": "sonarr" }))).toEqual(["lab-sonarr-1", "sonarr"]);
    expect(namesOf(event({}))).toEqual(["lab-sonarr-1"]);
  });
});
