import { afterEach, describe, expect, it } from "vitest";
import { redactor } from "../secrets/redactor.ts";
import { type DiscoveredContainer, refusalMessage } from "./container.ts";
import { type LabelReadOptions, servicesFromContainer } from "./container-service.ts";

const options: LabelReadOptions = { autoCredentials: new Set(["grafana", "authentik"]) };

function container(
  labels: Record<string, string>,
  overrides: Partial<DiscoveredContainer> = {},
): DiscoveredContainer {
  return {
    id: "abc123",
    name: "app",
    endpoint: "unix:///var/run/docker.sock",
    image: "busybox:latest",
    state: "running",
    labels,
    ...overrides,
  };
}

const base = { "homepage.group": "Media", "homepage.name": "Sonarr" };

describe("a container's labels as a service", () => {
  afterEach(() => redactor.clear());

  it("reads Homepage and Autopilot labels, records where each field came from, and infers the href from Traefik", () => {
    const { services, refusals } = servicesFromContainer(
      container(
        {
          ...base,
          "homepage.description": "TV",
          "homepage.icon": "sonarr.png",
          "homepage.weight": "10",
          "homepage.widget.type": "sonarr",
          "homepage.widget.url": "http://sonarr:8989",
          "homepage.widget.fields": '["wanted","queued"]',
          "homepage.widget.enableQueue": "true",
          "autopilot.widget.key": "${secret:homepage_sonarr_key}",
          "autopilot.sso": "proxy",
          "autopilot.depends_on": "postgres, redis",
          "autopilot.monitor": "true",
          "autopilot.health": "http://sonarr:8989/ping",
          "traefik.http.routers.sonarr.rule": "Host(`sonarr.lab.example.com`)",
          "traefik.http.routers.sonarr.entrypoints": "websecure",
          "com.docker.compose.depends_on": "postgres:service_started:false",
          "com.docker.compose.project": "media",
          "com.docker.compose.service": "sonarr",
        },
        { health: "healthy" },
      ),
      options,
    );
    expect(refusals).toEqual([]);
    expect(services).toHaveLength(1);
    const service = services[0];
    expect(service).toMatchObject({
      name: "Sonarr",
      slug: "sonarr",
      group: "Media",
      href: "https://sonarr.lab.example.com",
      description: "TV",
      icon: "sonarr.png",
      widget: {
        type: "sonarr",
        url: "http://sonarr:8989",
        fields: ["wanted", "queued"],
        enableQueue: true,
        key: "${secret:homepage_sonarr_key}",
      },
      sso: "proxy",
      dependsOn: ["postgres", "redis"],
      monitor: true,
      health: "http://sonarr:8989/ping",
      homepage: { weight: 10 },
      container: { name: "app", health: "healthy", compose: { project: "media", service: "sonarr" } },
      origin: "container app",
    });
    expect(service?.sources).toMatchObject({
      name: { kind: "label", detail: "homepage.name" },
      slug: { kind: "inferred" },
      href: { kind: "inferred", detail: "traefik.http.routers.sonarr.rule" },
      widget: { kind: "label", detail: "homepage.widget.type" },
      sso: { kind: "label", detail: "autopilot.sso" },
      dependsOn: { kind: "label", detail: "autopilot.depends_on + com.docker.compose.depends_on" },
      "homepage.weight": { kind: "label", detail: "homepage.weight" },
    });
  });

  it("lets autopilot.name and autopilot.group override homepage.name and homepage.group", () => {
    const { services } = servicesFromContainer(
      container({ ...base, "autopilot.name": "Series", "autopilot.group": "TV" }),
      options,
    );
    expect(services[0]).toMatchObject({ name: "Series", group: "TV", slug: "series" });
    expect(services[0]?.sources?.name).toEqual({ kind: "label", detail: "autopilot.name" });
  });

  it("ignores containers without Homepage labels or an autopilot name", () => {
    expect(
      servicesFromContainer(container({ "autopilot.heal": "true", "traefik.enable": "true" }), options),
    ).toEqual({
      services: [],
      refusals: [],
      warnings: [],
    });
  });

  it("recognises the widget type from the image when no widget label is given", () => {
    const { services } = servicesFromContainer(
      container(base, { image: "lscr.io/linuxserver/sonarr:4" }),
      options,
    );
    expect(services[0]?.widget).toEqual({ type: "sonarr" });
    expect(services[0]?.sources?.widget).toEqual({
      kind: "inferred",
      detail: "image lscr.io/linuxserver/sonarr:4",
    });
  });

  it("drops a bad fields list with a warning, as Homepage does, and keeps the service", () => {
    const result = servicesFromContainer(
      container({
        ...base,
        "homepage.widget.type": "sonarr",
        "homepage.widget.url": "http://s",
        "homepage.widget.key": "{{HOMEPAGE_FILE_SONARR}}",
        "homepage.widget.fields": "[wanted",
      }),
      options,
    );
    expect(result.services[0]?.widget).toEqual({
      type: "sonarr",
      url: "http://s",
      key: "{{HOMEPAGE_FILE_SONARR}}",
    });
    expect(result.warnings).toEqual([
      {
        container: "app",
        label: "homepage.widget.fields",
        reason: expect.stringContaining("not valid JSON"),
      },
    ]);
  });

  it("accepts grafana and authentik widgets without credentials when Autopilot supplies them, and not otherwise", () => {
    const labels = {
      ...base,
      "homepage.widget.type": "grafana",
      "homepage.widget.url": "http://grafana:3000",
    };
    expect(servicesFromContainer(container(labels), options).refusals).toEqual([]);
    const without = servicesFromContainer(container(labels), { autoCredentials: new Set() });
    expect(without.refusals[0]?.problems.map((p) => p.label)).toEqual([
      "homepage.widget.username",
      "homepage.widget.password",
    ]);
  });

  it("makes a service per homepage.services[n] entry", () => {
    const { services } = servicesFromContainer(
      container({
        "homepage.group": "Media",
        "homepage.services[0].name": "One",
        "homepage.services[1].name": "Two",
      }),
      options,
    );
    expect(services.map((s) => s.name)).toEqual(["One", "Two"]);
  });

  it("honours instance labels for the configured Homepage instance", () => {
    const { services } = servicesFromContainer(
      container({ ...base, "homepage.instance.home.description": "home only" }),
      { ...options, instanceName: "home" },
    );
    expect(services[0]?.description).toBe("home only");
    expect(services[0]?.sources?.description).toEqual({
      kind: "label",
      detail: "homepage.instance.home.description",
    });
  });

  describe("refuses a service, naming the container and the label, when", () => {
    const refused = (labels: Record<string, string>) => {
      const result = servicesFromContainer(container({ ...base, ...labels }, { name: "evil" }), options);
      expect(result.services).toEqual([]);
      expect(result.refusals).toHaveLength(1);
      return refusalMessage(result.refusals[0] as NonNullable<(typeof result.refusals)[0]>);
    };

    it.each([
      ["a javascript: href", { "homepage.href": "javascript:alert(1)" }, "homepage.href", "javascript"],
      ["a data: href", { "homepage.href": "data:text/html,<script>" }, "homepage.href", "data"],
      [
        "a newline in the name",
        { "homepage.name": "Evil\n- Injected:" },
        "homepage.name",
        "control characters",
      ],
      ["YAML syntax in the name", { "homepage.name": "x: [y]" }, "homepage.name", "letters, digits"],
      [
        "a 100 kB description",
        { "homepage.description": "x".repeat(100_000) },
        "homepage.description",
        "longer than 4096",
      ],
      [
        "a bidi override",
        { "homepage.description": "abc\u202edef" },
        "homepage.description",
        "control characters",
      ],
      [
        "a zero-width-joiner-free control",
        { "homepage.group": "Med\u0007ia" },
        "homepage.group",
        "control characters",
      ],
      [
        "an unknown widget type",
        { "homepage.widget.type": "sonar", "homepage.widget.url": "http://s" },
        "homepage.widget.type",
        "did you mean sonarr",
      ],
      [
        "a missing required widget field",
        { "homepage.widget.type": "sonarr", "homepage.widget.key": "{{HOMEPAGE_VAR_K}}" },
        "homepage.widget.url",
        "required",
      ],
      [
        "a literal credential",
        {
          "homepage.widget.type": "sonarr",
          "homepage.widget.url": "http://s",
          "homepage.widget.key": "supersecretkey123",
        },
        "homepage.widget.key",
        "credential",
      ],
      [
        "an Autopilot placeholder",
        {
          "homepage.widget.type": "sonarr",
          "homepage.widget.url": "http://s",
          "homepage.widget.key": "{{HOMEPAGE_FILE_AUTOPILOT_GRAFANA}}",
        },
        "homepage.widget.key",
        "credential",
      ],
      [
        "a placeholder in a description",
        { "homepage.description": "{{HOMEPAGE_FILE_X}}" },
        "homepage.description",
        "placeholder",
      ],
      [
        "a non-boolean showStats",
        { "homepage.showStats": "yes" },
        "homepage.showStats",
        "exactly true or false",
      ],
      [
        "a non-numeric version",
        {
          "homepage.widget.type": "pihole",
          "homepage.widget.url": "http://p",
          "homepage.widget.version": "six",
        },
        "homepage.widget.version",
        "number",
      ],
      [
        "a secret outside the homepage_ prefix",
        {
          "homepage.widget.type": "sonarr",
          "homepage.widget.url": "http://s",
          "autopilot.widget.key": "${secret:authentik_token}",
        },
        "autopilot.widget.key",
        "homepage_",
      ],
      [
        "a file reference",
        {
          "homepage.widget.type": "sonarr",
          "homepage.widget.url": "http://s",
          "autopilot.widget.key": "${file:/etc/shadow}",
        },
        "autopilot.widget.key",
        "homepage_",
      ],
      [
        "an unknown autopilot label",
        { "autopilot.helath": "http://x" },
        "autopilot.helath",
        "did you mean autopilot.health",
      ],
      ["sso without an href", { "autopilot.sso": "oidc" }, "autopilot.sso", "needs an href"],
      [
        "a value and a nested key at one path",
        { "homepage.widget": "x", "homepage.widget.type": "sonarr" },
        "homepage.widget.type",
        "Homepage fails",
      ],
      [
        "both widget and widgets",
        { "homepage.widget.type": "ping", "homepage.widgets[0].type": "ping" },
        "homepage.widgets",
        "cannot be used",
      ],
      ["a missing name", { "homepage.name": "" }, "homepage.name", "must"],
    ])("%s", (_what, labels, label, reason) => {
      const message = refused(labels as Record<string, string>);
      expect(message).toContain(`container evil: label ${label}`);
      expect(message).toContain(reason);
    });

    it("never repeats a literal credential in its reason, and registers it for redaction", () => {
      const message = refused({
        "homepage.widget.type": "sonarr",
        "homepage.widget.url": "http://s",
        "homepage.widget.key": "hunter2-literal-key",
      });
      expect(message).not.toContain("hunter2");
      expect(redactor.redact("x hunter2-literal-key y")).not.toContain("hunter2");
    });
  });

  it("refuses a container without a group, as Homepage does", () => {
    const result = servicesFromContainer(container({ "homepage.name": "Lonely" }), options);
    expect(refusalMessage(result.refusals[0] as NonNullable<(typeof result.refusals)[0]>)).toContain(
      "label homepage.group is missing",
    );
  });
});

describe("labels named like properties every object has", () => {
  it.each([
    ["homepage.toString", ""],
    ["homepage.hasOwnProperty", "x"],
    ["homepage.widget.type", "constructor"],
    ["autopilot.toString", "true"],
  ])("%s=%j is handled as a label, not as a property lookup", (label, value) => {
    const result = servicesFromContainer(
      container({ ...base, [label]: value }, { image: "constructor" }),
      options,
    );
    expect(result.services.length + result.refusals.length).toBe(1);
  });
});
