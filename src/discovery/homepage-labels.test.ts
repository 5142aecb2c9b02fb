import { describe, expect, it } from "vitest";
import { labelsInDockerOrder, parseHomepageLabels } from "./homepage-labels.ts";
import { setLabelPath } from "./label-path.ts";

const only = (labels: Record<string, string>, instance?: string) => {
  const parsed = parseHomepageLabels(labels, instance);
  expect(parsed.problems).toEqual([]);
  expect(parsed.services).toHaveLength(1);
  return parsed.services[0] as NonNullable<(typeof parsed.services)[0]>;
};

describe("Homepage label paths", () => {
  it("splits on dots and brackets, and a numeric next step makes an array", () => {
    const service = only({
      "homepage.group": "Media",
      "homepage.name": "Sonarr",
      "homepage.widget.headers.X-Auth": "v",
      "homepage.widget.mappings[0].field": "a",
      "homepage.widget.mappings[1].field": "b",
      "homepage.widgets[0].type": "sonarr",
      "homepage.widgets.1.type": "radarr",
    });
    expect(service.value).toEqual({
      group: "Media",
      name: "Sonarr",
      widget: { headers: { "X-Auth": "v" }, mappings: [{ field: "a" }, { field: "b" }] },
      widgets: [{ type: "sonarr" }, { type: "radarr" }],
    });
    expect(service.setBy.get("widget.mappings.1.field")).toBe("homepage.widget.mappings[1].field");
  });

  it("a trailing numeric step on a fresh key makes an object, exactly like Homepage's shvl", () => {
    const target: Record<string, unknown> = {};
    expect(setLabelPath(target, "widgets[0]", "x")).toBe("set");
    expect(target).toEqual({ widgets: { "0": "x" } });
  });

  it("keeps values as strings except widget.version and widgets[n].version, which parseInt turns into numbers", () => {
    const service = only({
      "homepage.group": "G",
      "homepage.name": "N",
      "homepage.showStats": "true",
      "homepage.weight": "10",
      "homepage.widget.version": "2",
      "homepage.widget.fields": '["a","b"]',
      "homepage.widgets[0].version": "6abc",
    });
    expect(service.value).toMatchObject({
      showStats: "true",
      weight: "10",
      widget: { version: 2, fields: '["a","b"]' },
      widgets: [{ version: 6 }],
    });
    const bad = only({ "homepage.group": "G", "homepage.name": "N", "homepage.widget.version": "two" });
    expect((bad.value.widget as { version: number }).version).toBeNaN();
  });

  it("applies homepage.instance.NAME.x only for this instance, in label-name order (instance beats description, loses to name)", () => {
    const labels = {
      "homepage.group": "G",
      "homepage.name": "plain name",
      "homepage.description": "plain description",
      "homepage.instance.home.name": "instance name",
      "homepage.instance.home.description": "instance description",
      "homepage.instance.other.href": "https://other.example",
    };
    const service = only(labels, "home");
    expect(service.value).toEqual({ group: "G", name: "plain name", description: "instance description" });
    expect(service.setBy.get("description")).toBe("homepage.instance.home.description");
    expect(only(labels).value).toEqual({ group: "G", name: "plain name", description: "plain description" });
  });

  it("ignores a container whose only homepage labels belong to another instance", () => {
    expect(parseHomepageLabels({ "homepage.instance.other.name": "x" }, "home").services).toEqual([]);
    expect(parseHomepageLabels({ "traefik.enable": "true" }).services).toEqual([]);
  });

  it("reports a label that sets a key inside a value, which makes Homepage drop the whole endpoint", () => {
    const parsed = parseHomepageLabels({
      "homepage.group": "G",
      "homepage.name": "N",
      "homepage.widget": "sonarr",
      "homepage.widget.type": "sonarr",
    });
    expect(parsed.problems).toEqual([
      { label: "homepage.widget.type", reason: expect.stringContaining("Homepage fails") },
    ]);
  });

  it("never lets a label reach the object prototype", () => {
    const parsed = parseHomepageLabels({
      "homepage.__proto__.polluted": "yes",
      "homepage.widget.constructor.prototype.polluted": "yes",
      "homepage.group": "G",
      "homepage.name": "N",
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(parsed.services[0]?.value).toEqual({ group: "G", name: "N", widget: {} });
  });

  it("makes one service per homepage.services[n] entry over the shared labels", () => {
    const parsed = parseHomepageLabels({
      "homepage.group": "Media",
      "homepage.icon": "shared.png",
      "homepage.services[0].name": "One",
      "homepage.services[1].name": "Two",
      "homepage.services[1].icon": "two.png",
    });
    expect(parsed.services.map((s) => s.value)).toEqual([
      { group: "Media", icon: "shared.png", name: "One" },
      { group: "Media", icon: "two.png", name: "Two" },
    ]);
    expect(parsed.services[1]?.setBy.get("icon")).toBe("homepage.services[1].icon");
    expect(parsed.services[0]?.setBy.get("icon")).toBe("homepage.icon");
  });

  it("reports homepage.services without an index", () => {
    const parsed = parseHomepageLabels({ "homepage.group": "G", "homepage.services.name": "x" });
    expect(parsed.services).toEqual([]);
    expect(parsed.problems[0]?.reason).toContain("indexed");
  });

  it("orders labels bytewise as the Docker API lists them", () => {
    const order = labelsInDockerOrder({ "homepage.name": "", "homepage.Z": "", "homepage.instance.a.x": "" });
    expect(order.map(([name]) => name)).toEqual(["homepage.Z", "homepage.instance.a.x", "homepage.name"]);
  });
});
