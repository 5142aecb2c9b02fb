import { randomBytes } from "node:crypto";
import { appendFileSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { parse } from "yaml";
import { buildCatalogue, type Catalogue } from "../../src/catalog/catalogue.ts";
import type { Service } from "../../src/catalog/service.ts";
import { refusalMessage } from "../../src/discovery/container.ts";
import { servicesFromContainers } from "../../src/discovery/discover.ts";
import { listContainers } from "../../src/discovery/docker-discovery.ts";
import { applyPlan, converged, preparePlan, type ReconcileContext } from "../../src/engine/reconcile.ts";
import { AuditLog } from "../../src/observability/audit/audit-log.ts";
import { homepageProvider } from "../../src/providers/homepage/provider.ts";
import { redactor } from "../../src/secrets/redactor.ts";
import { openSqliteStateStore } from "../../src/state/sqlite-state-store.ts";
import { homepageResources } from "../../src/wiring/homepage.ts";
import { runCli } from "../helpers/cli.ts";
import { createTestContainer, removeQuietly, testDocker, testImage } from "../helpers/docker.ts";
import { labDir } from "../helpers/lab-dir.ts";

/**
 * Discovery on the real Docker engine: labelled containers (running, exited, never started, with
 * a HEALTHCHECK), images tagged like the real products, and a corpus of hostile labels. Other
 * suites create containers on the same engine at the same time, so assertions look only at this
 * suite's containers (a random prefix in names and groups) and the library-level tests filter the
 * listing to them.
 */
const run = randomBytes(3).toString("hex");
const group = `Media${run}`;
const prefix = `ap-disc-${run}`;
const endpoint = inject("dockerHost");
const project = `proj${run}`;
/** Unique names: other suites may label containers "Sonarr" on the same engine at the same time. */
const nm = (base: string) => `${base} ${run}`;
const slug = (base: string) => `${base.toLowerCase()}-${run}`;

describe("discovery on the real Docker engine", () => {
  const docker = testDocker();
  const containers: Docker.Container[] = [];
  const start = async (name: string, spec: Parameters<typeof createTestContainer>[1]) => {
    const container = await createTestContainer(docker, { name: `${prefix}-${name}`, ...spec });
    containers.push(container);
    return container;
  };
  const image = (repository: string) => `${repository}:ap-test-${run}`;

  beforeAll(async () => {
    const source = docker.getImage(testImage());
    for (const repository of ["lscr.io/linuxserver/sonarr", "grafana/grafana"]) {
      const [repo, tag] = image(repository).split(/:(?=[^:]+$)/) as [string, string];
      await source.tag({ repo, tag });
    }
    const create = async (
      name: string,
      labels: Record<string, string>,
      extra: Partial<Docker.ContainerCreateOptions> = {},
    ) => {
      const container = await docker.createContainer({
        name: `${prefix}-${name}`,
        Image: testImage(),
        Cmd: ["sleep", "3600"],
        Labels: labels,
        HostConfig: { NetworkMode: "host" },
        ...extra,
      });
      containers.push(container);
      return container;
    };
    // The widget type comes from the image name; the href from the Traefik rule; a HEALTHCHECK.
    const sonarr = await create(
      "sonarr",
      {
        "homepage.group": group,
        "homepage.name": nm("Sonarr"),
        "homepage.description": "TV shows",
        "homepage.widget.url": "http://127.0.0.1:8989",
        "homepage.widget.fields": '["wanted","queued"]',
        "autopilot.widget.key": "${secret:homepage_sonarr_key}",
        "autopilot.depends_on": nm("Prowlarr"),
        "autopilot.health": "http://127.0.0.1:8989/ping",
        "traefik.http.routers.sonarr.rule": "Host(`sonarr.lab.example.com`) && PathPrefix(`/tv`)",
        "traefik.http.routers.sonarr.entrypoints": "websecure",
        "com.docker.compose.project": project,
        "com.docker.compose.service": "sonarr",
        "com.docker.compose.depends_on": "db:service_started:false",
      },
      {
        Image: image("lscr.io/linuxserver/sonarr"),
        Healthcheck: {
          Test: ["CMD-SHELL", "true"],
          Interval: 300_000_000,
          Timeout: 2_000_000_000,
          Retries: 1,
        },
      },
    );
    await sonarr.start();
    // Never started: Homepage lists created containers too.
    await create(
      "grafana",
      {
        "homepage.group": group,
        "homepage.name": nm("Grafana"),
        "homepage.href": "https://grafana.lab.example.com",
        "autopilot.sso": "oidc",
        "autopilot.monitor": "true",
      },
      { Image: image("grafana/grafana") },
    );
    // Exited.
    const prowlarr = await start("prowlarr", {
      labels: { "homepage.group": group, "homepage.name": nm("Prowlarr"), "homepage.icon": "prowlarr.png" },
      cmd: ["true"],
    });
    await prowlarr.wait();
    await start("db", {
      labels: { "com.docker.compose.project": project, "com.docker.compose.service": "db" },
    });
    const hostile: Record<string, Record<string, string>> = {
      "js-href": { "homepage.href": "javascript:alert(document.cookie)" },
      "data-href": { "homepage.href": "data:text/html;base64,PHNjcmlwdD4=" },
      "newline-name": { "homepage.name": "Evil\n- Injected:\n    href: http://x" },
      "yaml-name": { "homepage.name": "x: {a: 1}" },
      "huge-value": { "homepage.description": "A".repeat(100 * 1024) },
      "control-chars": { "homepage.description": "bell\u0007 and \u202e reversed" },
      "unknown-widget": { "homepage.widget.type": "notawidget", "homepage.widget.url": "http://x" },
      "missing-field": { "homepage.widget.type": "sonarr", "homepage.widget.key": "{{HOMEPAGE_VAR_KEY}}" },
    };
    for (const [name, labels] of Object.entries(hostile)) {
      await create(name, { "homepage.group": group, "homepage.name": `Hostile ${name}`, ...labels });
    }
  });

  afterAll(async () => {
    await Promise.all(containers.map((container) => removeQuietly(container)));
    for (const repository of ["lscr.io/linuxserver/sonarr", "grafana/grafana"]) {
      await docker
        .getImage(image(repository))
        .remove()
        .catch(() => undefined);
    }
    redactor.clear();
  });

  const options = { autoCredentials: new Set(["grafana"]) };
  async function catalogue(): Promise<Catalogue> {
    const listing = await listContainers({ endpoints: [endpoint], resolvePath: (p) => p });
    expect(listing.failures).toEqual([]);
    const mine = listing.containers.filter((container) => container.name.startsWith(prefix));
    return buildCatalogue([], { ...servicesFromContainers(mine, options), failures: [] }, options);
  }
  const byName = (services: readonly Service[]) =>
    new Map(services.map((service) => [service.name, service]));

  it("finds running, exited and never-started containers with every field and its source", async () => {
    const result = await catalogue();
    const services = byName(result.services);
    expect([...services.keys()].sort()).toEqual([nm("Grafana"), nm("Prowlarr"), nm("Sonarr")]);
    expect(services.get(nm("Sonarr"))).toMatchObject({
      group,
      slug: slug("Sonarr"),
      href: "https://sonarr.lab.example.com/tv",
      description: "TV shows",
      widget: {
        type: "sonarr",
        url: "http://127.0.0.1:8989",
        fields: ["wanted", "queued"],
        key: "${secret:homepage_sonarr_key}",
      },
      dependsOn: [nm("Prowlarr"), "db"],
      health: "http://127.0.0.1:8989/ping",
      container: { name: `${prefix}-sonarr`, state: "running", compose: { project, service: "sonarr" } },
    });
    expect(services.get(nm("Sonarr"))?.sources).toMatchObject({
      href: { kind: "inferred", detail: "traefik.http.routers.sonarr.rule" },
      widget: { kind: "label", detail: "homepage.widget.* (type from the image)" },
      "widget.type": { kind: "inferred", detail: `image ${image("lscr.io/linuxserver/sonarr")}` },
      description: { kind: "label", detail: "homepage.description" },
    });
    expect(services.get(nm("Grafana"))).toMatchObject({
      sso: "oidc",
      monitor: true,
      widget: { type: "grafana" },
      container: { state: "created" },
      sources: { widget: { kind: "inferred", detail: `image ${image("grafana/grafana")}` } },
    });
    expect(services.get(nm("Prowlarr"))?.container?.state).toBe("exited");
  });

  it("sees the container's health check", async () => {
    let sonarr: Service | undefined;
    for (let i = 0; i < 40 && sonarr?.container?.health !== "healthy"; i++) {
      sonarr = byName((await catalogue()).services).get(nm("Sonarr"));
      if (sonarr?.container?.health !== "healthy") await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(sonarr?.container?.health).toBe("healthy");
  });

  it("refuses each hostile container with a reason naming it and its label, and keeps the rest", async () => {
    const result = await catalogue();
    const messages = new Map(result.refused.map((refusal) => [refusal.container, refusalMessage(refusal)]));
    const expectations: Record<string, [string, string]> = {
      "js-href": ["homepage.href", "not a javascript: URL"],
      "data-href": ["homepage.href", "not a data: URL"],
      "newline-name": ["homepage.name", "control characters or line breaks"],
      "yaml-name": ["homepage.name", "only letters, digits"],
      "huge-value": ["homepage.description", "longer than 4096"],
      "control-chars": ["homepage.description", "control characters"],
      "unknown-widget": ["homepage.widget.type", "names no Homepage widget type"],
      "missing-field": ["homepage.widget.url", "is required by the sonarr widget"],
    };
    for (const [name, [label, reason]] of Object.entries(expectations)) {
      const message = messages.get(`${prefix}-${name}`);
      expect(message, name).toContain(`container ${prefix}-${name}: label ${label}`);
      expect(message, name).toContain(reason);
    }
    expect(result.services).toHaveLength(3);
  });

  it("shows discover, graph and apply through the command line", async () => {
    const lab = labDir({
      targets: { docker: { endpoints: [endpoint] }, homepage: { configDir: "./homepage" } },
    });
    mkdirSync(join(lab.dir, "homepage"));
    const cli = (args: string[], input?: string) =>
      runCli(args, { cwd: lab.dir, env: lab.env, ...(input === undefined ? {} : { input }) });
    expect((await cli(["secrets", "init"])).code).toBe(0);
    expect((await cli(["secrets", "set", "homepage_sonarr_key"], "sonarr-api-key-0123456789")).code).toBe(0);

    const json = await cli(["discover", "-o", "json"]);
    expect(json.code, json.stderr).toBe(0);
    const found = JSON.parse(json.stdout) as {
      services: {
        name: string;
        fields: Record<string, { value: unknown; source: string; detail: string }>;
      }[];
      refused: { container: string; message: string }[];
    };
    const sonarr = found.services.find((service) => service.name === nm("Sonarr"));
    expect(sonarr?.fields.href).toEqual({
      value: "https://sonarr.lab.example.com/tv",
      source: "inferred",
      detail: "traefik.http.routers.sonarr.rule",
    });
    expect(sonarr?.fields.name).toEqual({ value: nm("Sonarr"), source: "label", detail: "homepage.name" });
    expect(
      found.refused
        .filter((r) => r.container.startsWith(prefix))
        .map((r) => r.container)
        .sort(),
    ).toEqual(
      [
        "control-chars",
        "data-href",
        "huge-value",
        "js-href",
        "missing-field",
        "newline-name",
        "unknown-widget",
        "yaml-name",
      ].map((name) => `${prefix}-${name}`),
    );
    const text = await cli(["discover", "--no-color"]);
    expect(text.stdout).toContain(`${group} / ${nm("Sonarr")}`);
    expect(text.stdout).toMatch(
      /href\s+https:\/\/sonarr\.lab\.example\.com\/tv\s+inferred traefik\.http\.routers\.sonarr\.rule/,
    );

    const dot = await cli(["graph", "-o", "dot"]);
    expect(dot.code, dot.stderr).toBe(0);
    expect(dot.stdout).toContain(`"${slug("Sonarr")}" -> "${slug("Prowlarr")}";`);
    expect(dot.stdout).toContain(`"${slug("Sonarr")}" -> "container:${prefix}-db";`);
    const mermaid = await cli(["graph", "-o", "mermaid"]);
    expect(mermaid.stdout).toMatch(/^flowchart LR\n/);
    const graphJson = JSON.parse((await cli(["graph", "-o", "json"])).stdout) as { edges: unknown[] };
    expect(graphJson.edges).toContainEqual({ from: slug("Sonarr"), to: slug("Prowlarr") });
    const wrong = await cli(["plan", "-o", "dot"]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain("plan does not print dot");

    const apply = await cli(["apply", "--yes"]);
    expect(apply.code, apply.stderr).toBe(0);
    const services = parse(readFileSync(join(lab.dir, "homepage", "services.yaml"), "utf8")) as Record<
      string,
      unknown
    >[];
    const mine = services.find((entry) => group in entry)?.[group] as Record<string, unknown>[];
    expect(mine.map((entry) => Object.keys(entry)[0]).sort()).toEqual([
      nm("Grafana"),
      nm("Prowlarr"),
      nm("Sonarr"),
    ]);
    expect(
      readFileSync(
        join(lab.dir, "homepage", "autopilot-secrets", "HOMEPAGE_FILE_AUTOPILOT_HOMEPAGE_SONARR_KEY"),
        "utf8",
      ),
    ).toBe("sonarr-api-key-0123456789");
    expect(apply.stderr).toContain(`container ${prefix}-js-href: label homepage.href`);
    expect(apply.stdout + apply.stderr).not.toContain("sonarr-api-key-0123456789");
  });

  it("reports a dependency cycle naming the services in it", async () => {
    const a = await start("cycle-a", {
      labels: {
        "homepage.group": `Cycle${run}`,
        "homepage.name": nm("Alpha"),
        "autopilot.depends_on": nm("Beta"),
      },
    });
    const b = await start("cycle-b", {
      labels: {
        "homepage.group": `Cycle${run}`,
        "homepage.name": nm("Beta"),
        "autopilot.depends_on": nm("Alpha"),
      },
    });
    try {
      const lab = labDir({ targets: { docker: { endpoints: [endpoint] } } });
      const graph = await runCli(["graph"], { cwd: lab.dir, env: lab.env });
      expect(graph.code).toBe(1);
      expect(graph.stderr).toContain(`dependency cycle: ${nm("Alpha")} → ${nm("Beta")} → ${nm("Alpha")}`);
    } finally {
      await Promise.all([removeQuietly(a), removeQuietly(b)]);
    }
  });

  it("renders the catalogue into Homepage: YAML parsed back equals the model, a second run writes nothing, user groups survive, a removed container's entry goes", async () => {
    const { dir } = labDir({});
    const configDir = join(dir, "homepage");
    mkdirSync(configDir);
    const state = await openSqliteStateStore(join(dir, "state.db"));
    const store = new Map([["homepage_sonarr_key", "sonarr-api-key-0123456789"]]);
    const context = (services: readonly Service[]): ReconcileContext => ({
      providers: [
        homepageProvider({
          configDir,
          resolve: async (reference) => store.get(reference.replace(/^\$\{secret:|\}$/g, "")) ?? "",
        }),
      ],
      desired: homepageResources(services).resources,
      state,
      audit: new AuditLog(state.audit),
      actor: "test",
      secrets: {
        get: async (name) => store.get(name),
        set: async (name, value) => void store.set(name, value),
      },
    });
    const apply = async (services: readonly Service[]) => {
      const prepared = await preparePlan(context(services));
      const results = await applyPlan(context(services), prepared);
      expect(converged(results, prepared.plan)).toBe(true);
      return prepared.plan;
    };
    try {
      const first = await catalogue();
      await apply(first.services);
      const model = homepageResources(first.services).resources.filter((r) => r.ref.kind === "service");
      const written = parse(readFileSync(join(configDir, "services.yaml"), "utf8")) as Record<
        string,
        Record<string, unknown>[]
      >[];
      const entries = Object.fromEntries(
        written.flatMap((g) =>
          Object.entries(g).flatMap(([name, items]) =>
            items.map((item) => [`${name}/${Object.keys(item)[0]}`, Object.values(item)[0]]),
          ),
        ),
      );
      expect(entries).toEqual(
        Object.fromEntries(model.map((r) => [r.ref.key, (r.spec as { entry: unknown }).entry])),
      );
      expect(entries[`${group}/${nm("Sonarr")}`]).toMatchObject({
        href: "https://sonarr.lab.example.com/tv",
        siteMonitor: "http://127.0.0.1:8989/ping",
        widget: { key: "{{HOMEPAGE_FILE_AUTOPILOT_HOMEPAGE_SONARR_KEY}}" },
      });
      // Grafana's widget was only guessed from the image and has no URL or token here: left out, tile kept.
      expect(entries[`${group}/${nm("Grafana")}`]).toEqual({
        href: "https://grafana.lab.example.com",
        description: "(SSO)",
      });

      const mtimes = () =>
        Object.fromEntries(readdirSync(configDir).map((f) => [f, statSync(join(configDir, f)).mtimeMs]));
      const before = mtimes();
      const second = await apply((await catalogue()).services);
      expect(second.actions.filter((a) => a.type !== "noop")).toEqual([]);
      expect(mtimes()).toEqual(before);

      appendFileSync(
        join(configDir, "services.yaml"),
        "# added by hand\n- Hand made:\n    - Printer:\n        href: http://printer\n",
      );
      const target = (
        await docker.listContainers({ all: true, filters: { name: [`${prefix}-prowlarr`] } })
      )[0];
      await docker.getContainer(target?.Id as string).remove({ force: true });
      await apply((await catalogue()).services);
      const after = readFileSync(join(configDir, "services.yaml"), "utf8");
      expect(after).toContain("# added by hand");
      expect(parse(after).find((g: object) => "Hand made" in g)).toEqual({
        "Hand made": [{ Printer: { href: "http://printer" } }],
      });
      expect(after).not.toContain(`${nm("Prowlarr")}:`);
      expect(after).toContain(`${nm("Sonarr")}:`);
    } finally {
      await state.close();
    }
  });
});
