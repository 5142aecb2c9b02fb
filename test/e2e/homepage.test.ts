import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type AuthentikSimulator, startAuthentikSimulator } from "../../src/sandbox/authentik/server.ts";
import { type GrafanaSimulator, startGrafanaSimulator } from "../../src/sandbox/grafana/server.ts";
import { redactor } from "../../src/secrets/redactor.ts";
import { runCli } from "../helpers/cli.ts";
import { labDir } from "../helpers/lab-dir.ts";

/**
 * Homepage with Authentik and Grafana, end to end through the command line: the widgets of both
 * use tokens Autopilot created in the same apply (an Authentik API token for a service account of
 * its own, a Grafana service-account token), written as 0600 files behind placeholders; a second
 * apply changes nothing.
 */
describe("Homepage end to end", () => {
  let authentik: AuthentikSimulator;
  let grafana: GrafanaSimulator;
  let lab: ReturnType<typeof labDir>;
  let env: NodeJS.ProcessEnv;
  const cli = (...args: string[]) => runCli(args, { cwd: lab.dir, env });
  const homepage = (...parts: string[]) => join(lab.dir, "homepage", ...parts);

  beforeEach(async () => {
    [authentik, grafana] = await Promise.all([startAuthentikSimulator(), startGrafanaSimulator()]);
    lab = labDir({
      targets: {
        authentik: { url: authentik.url, token: "${env:AK_TOKEN}", http: { maxAttempts: 6 } },
        grafana: { url: grafana.url, token: "${env:GF_TOKEN}", http: { maxAttempts: 6 } },
        homepage: { configDir: "./homepage" },
      },
      services: [
        {
          name: "Authentik",
          group: "Identity",
          href: "https://auth.lab.example.com",
          widget: { type: "authentik", url: authentik.url },
        },
        {
          name: "Grafana",
          group: "Monitoring",
          href: "https://grafana.lab.example.com",
          sso: "oidc",
          widget: { type: "grafana" },
        },
        {
          name: "Notes",
          group: "Docs",
          href: "https://notes.lab.example.com",
          description: "Team notes",
          health: "https://notes.lab.example.com/health",
        },
      ],
    });
    mkdirSync(join(lab.dir, "homepage"));
    writeFileSync(join(lab.dir, "homepage", "settings.yaml"), "title: My lab # kept\n");
    env = { ...lab.env, AK_TOKEN: authentik.token, GF_TOKEN: grafana.token };
    expect((await cli("secrets", "init")).code).toBe(0);
  });
  afterEach(async () => {
    await Promise.all([authentik.close(), grafana.close()]);
    redactor.clear();
  });

  it("wires Autopilot's own tokens into the widgets, as secret files behind placeholders, and converges", async () => {
    const apply = await cli("apply", "--yes");
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);

    const services = parse(readFileSync(homepage("services.yaml"), "utf8")) as Record<
      string,
      Record<string, Record<string, unknown>>[]
    >[];
    const entry = (group: string, name: string) =>
      services.find((g) => group in g)?.[group]?.find((item) => name in item)?.[name] as Record<
        string,
        unknown
      >;
    const authentikWidget = entry("Identity", "Authentik").widget as Record<string, unknown>;
    const grafanaWidget = entry("Monitoring", "Grafana").widget as Record<string, unknown>;
    expect(authentikWidget).toMatchObject({ type: "authentik", url: authentik.url, version: 2 });
    expect(grafanaWidget).toMatchObject({
      type: "grafana",
      url: "https://grafana.lab.example.com",
      version: 2,
      username: "api_key",
      password: "{{HOMEPAGE_FILE_AUTOPILOT_GRAFANA_SA_HOMEPAGE_TOKEN}}",
    });
    expect(entry("Monitoring", "Grafana").description).toBe("(SSO)");
    expect(entry("Docs", "Notes")).toEqual({
      href: "https://notes.lab.example.com",
      description: "Team notes",
      siteMonitor: "https://notes.lab.example.com/health",
    });

    // The placeholder's file holds exactly the key Autopilot stored for the token it created.
    const authentikVariable = /^\{\{(HOMEPAGE_FILE_AUTOPILOT_\w+)\}\}$/.exec(
      authentikWidget.key as string,
    )?.[1] as string;
    const revealed = async (name: string) => (await cli("secrets", "get", name, "--reveal")).stdout.trim();
    const authentikKey = await revealed("authentik_token_autopilot-homepage-widget");
    const grafanaKey = await revealed("grafana_sa_homepage_token");
    expect(authentik.state.tokens.find((t) => t.identifier === "autopilot-homepage-widget")).toMatchObject({
      intent: "api",
    });
    for (const [variable, key] of [
      [authentikVariable, authentikKey],
      ["HOMEPAGE_FILE_AUTOPILOT_GRAFANA_SA_HOMEPAGE_TOKEN", grafanaKey],
    ] as const) {
      const file = homepage("autopilot-secrets", variable);
      expect(key.length).toBeGreaterThan(10);
      expect(readFileSync(file, "utf8")).toBe(key);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readFileSync(homepage("autopilot-homepage.env"), "utf8")).toContain(
        `${variable}=/app/config/autopilot-secrets/${variable}\n`,
      );
      expect(readFileSync(homepage("services.yaml"), "utf8")).not.toContain(key);
      expect(apply.stdout + apply.stderr).not.toContain(key);
    }
    expect(readFileSync(homepage("settings.yaml"), "utf8")).toBe("title: My lab # kept\n");
    for (const file of ["widgets.yaml", "bookmarks.yaml", "docker.yaml"])
      expect(readFileSync(homepage(file), "utf8")).toBe("---\n");

    const plan = await cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout).toBe(0);
  });

  it("treats a hand-written tile with the same group and name as a conflict until it is adopted", async () => {
    writeFileSync(
      homepage("services.yaml"),
      "- Docs:\n    - Notes:\n        href: http://old-notes # mine\n",
    );
    const first = await cli("apply", "--yes");
    expect(first.code).toBe(3);
    expect(first.stdout + first.stderr).toContain("homepage/service/Docs/Notes");
    expect(readFileSync(homepage("services.yaml"), "utf8")).toContain("href: http://old-notes # mine");

    const adopt = await cli("adopt", "homepage/service/Docs/Notes");
    expect(adopt.code, adopt.stderr).toBe(0);
    const second = await cli("apply", "--yes");
    expect(second.code, second.stdout + second.stderr).toBe(0);
    const services = parse(readFileSync(homepage("services.yaml"), "utf8")) as Record<string, unknown>[];
    expect(services.find((group) => "Docs" in group)).toEqual({
      Docs: [
        {
          Notes: {
            href: "https://notes.lab.example.com",
            description: "Team notes",
            siteMonitor: "https://notes.lab.example.com/health",
          },
        },
      ],
    });
  });
});
