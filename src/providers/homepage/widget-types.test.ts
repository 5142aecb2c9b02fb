import { describe, expect, it } from "vitest";
import { imageRepository, widgetTypeForImage } from "./image-widget.ts";
import { checkWidgetSpec } from "./widget-check.ts";
import {
  HOMEPAGE_VERSION,
  isJsonParsedBoolean,
  isSecretOption,
  userWidgetTypes,
  widgetType,
  widgetTypeNames,
} from "./widget-types.ts";

describe("Homepage's widget table", () => {
  it("holds the 163 types of Homepage 1.12.3 with their required and secret options", () => {
    expect(HOMEPAGE_VERSION).toBe("1.12.3");
    expect(widgetTypeNames()).toHaveLength(163);
    expect(userWidgetTypes()).not.toContain("docker");
    const grafana = widgetType("grafana");
    expect(grafana?.required).toEqual(["url", "username", "password", "version"]);
    expect(grafana && isSecretOption(grafana, "password")).toBe(true);
    expect(grafana && isSecretOption(grafana, "username")).toBe(false);
    expect(widgetType("overseerr")?.aliasOf).toBe("seerr");
    expect(isJsonParsedBoolean("sonarr", "enableQueue")).toBe(true);
    expect(isJsonParsedBoolean("sonarr", "enableBlocks")).toBe(false);
  });

  it("recognises widget types from image names", () => {
    expect(imageRepository("registry.example.com:5000/team/app:1.2@sha256:abc")).toBe("team/app");
    expect(imageRepository("docker.io/library/traefik:v3")).toBe("traefik");
    expect(imageRepository("localhost/x/y")).toBe("x/y");
    const cases: [string, string | undefined][] = [
      ["grafana/grafana:11.2.0", "grafana"],
      ["grafana/grafana-oss", "grafana"],
      ["ghcr.io/goauthentik/server:2025.8", "authentik"],
      ["lscr.io/linuxserver/sonarr:latest", "sonarr"],
      ["linuxserver/qbittorrent", "qbittorrent"],
      ["louislam/uptime-kuma:1", "uptimekuma"],
      ["ghcr.io/paperless-ngx/paperless-ngx", "paperlessngx"],
      ["homeassistant/home-assistant:stable", "homeassistant"],
      ["fallenbagel/jellyseerr", "seerr"],
      ["lscr.io/linuxserver/overseerr", "seerr"],
      ["traefik:v3.1", "traefik"],
      ["vaultwarden/server", undefined],
      ["busybox", undefined],
      ["someone/docker", undefined],
      ["someone/calendar", undefined],
    ];
    for (const [image, type] of cases) expect(widgetTypeForImage(image), image).toBe(type);
  });

  it("checks type, required options and fields, counting what Autopilot supplies", () => {
    const none = { autoCredentials: new Set<string>() };
    expect(checkWidgetSpec({}, none).errors).toEqual([
      { option: "type", reason: expect.stringContaining("missing") },
    ]);
    expect(checkWidgetSpec({ type: "docker" }, none).errors[0]?.reason).toContain(
      "names no Homepage widget type",
    );
    expect(checkWidgetSpec({ type: "grafana", url: "http://g" }, none).errors.map((e) => e.option)).toEqual([
      "username",
      "password",
    ]);
    expect(
      checkWidgetSpec({ type: "grafana", url: "http://g" }, { autoCredentials: new Set(["grafana"]) }).errors,
    ).toEqual([]);
    const fields = checkWidgetSpec(
      { type: "seerr", url: "u", key: "k", fields: ["pending", "nope", "approved", "completed", "issues"] },
      none,
    );
    expect(fields.warnings.map((w) => w.reason)).toEqual([
      expect.stringContaining("nope"),
      "lists 5 fields; the widget shows at most 4",
    ]);
    expect(
      checkWidgetSpec({ type: "sonarr", url: "u", key: "k", fields: "wanted" }, none).warnings[0]?.reason,
    ).toContain("not a list");
  });
});
