import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDaemon } from "../../src/daemon/daemon.ts";
import { createHttpClient } from "../../src/http/client.ts";
import { type AuthentikSimulator, startAuthentikSimulator } from "../../src/sandbox/authentik/server.ts";
import { type SimServer, startSimServer } from "../../src/sandbox/common/sim-server.ts";
import { type GrafanaSimulator, startGrafanaSimulator } from "../../src/sandbox/grafana/server.ts";
import { openAgeStore } from "../../src/secrets/age-store.ts";
import { redactor } from "../../src/secrets/redactor.ts";
import { type CliRun, runCli } from "../helpers/cli.ts";
import { quietContext } from "../helpers/command-context.ts";
import { labDir } from "../helpers/lab-dir.ts";
import { freePort } from "../helpers/processes.ts";

/**
 * Hard rule 2, at full scale: 50 secrets planted through every way a secret enters Autopilot —
 * the age store, environment variables, files, generated OIDC client secrets — used by every
 * target (Authentik, Grafana with its admin login and secure datasource fields, Homepage widget
 * keys, alert channels, the daemon). Then every command a user runs, at debug log level, and the
 * daemon's /api/status and /metrics. No value may appear in any output, log line, audit entry or
 * file — except the files whose job is to hold one (Homepage's widget key files), which must be 0600.
 */
describe("50 planted secrets", () => {
  let authentik: AuthentikSimulator;
  let grafana: GrafanaSimulator;
  let receiver: SimServer;
  const outputs: string[] = [];
  const planted: string[] = [];
  const secret = (label: string) => {
    const value = `${label}-${randomBytes(12).toString("hex")}`;
    planted.push(value);
    return value;
  };

  beforeAll(async () => {
    authentik = await startAuthentikSimulator();
    grafana = await startGrafanaSimulator();
    receiver = await startSimServer({ name: "hook", handler: () => ({ status: 200, body: {} }) });
  });
  afterAll(async () => {
    await Promise.all([authentik.close(), grafana.close(), receiver.close()]);
    redactor.clear();
  });

  it("never leave the process except into their own 0600 files", async () => {
    const port = await freePort();
    const services = Array.from({ length: 20 }, (_, i) => ({
      name: `App ${i}`,
      group: i < 10 ? "Media" : "Tools",
      href: `https://app-${i}.lab.example.com`,
      sso: "oidc",
      monitor: true,
      widget: { type: i % 2 ? "sonarr" : "radarr", url: `http://app-${i}:8989`, key: "" },
    }));
    // 10 widget keys from the store, 5 from the environment, 5 from files.
    const env: NodeJS.ProcessEnv = {};
    const files: Record<string, string> = {};
    const stored: [string, string][] = [];
    services.forEach((service, i) => {
      if (i < 10) {
        stored.push([`app_${i}_key`, secret(`storekey${i}`)]);
        service.widget.key = `\${secret:app_${i}_key}`;
      } else if (i < 15) {
        env[`APP_${i}_KEY`] = secret(`envkey${i}`);
        service.widget.key = `\${env:APP_${i}_KEY}`;
      } else {
        files[`app-${i}.key`] = secret(`filekey${i}`);
        service.widget.key = `\${file:./app-${i}.key}`;
      }
    });
    // 20 generated client secrets, planted in the store under the names Autopilot uses.
    for (let i = 0; i < services.length; i++) {
      stored.push([`authentik_oidc_app_${i}_client_secret`, secret(`client${i}`)]);
    }
    // Target credentials, datasource and alerting secrets, the daemon token: 10 more.
    stored.push(["authentik_token", authentik.token], ["grafana_token", grafana.token]);
    env.GF_ADMIN = grafana.adminPassword;
    planted.push(authentik.token, grafana.token, grafana.adminPassword);
    stored.push(
      ["loki_password", secret("loki")],
      ["tempo_password", secret("tempo")],
      ["ntfy_token", secret("ntfy")],
    );
    env.HOOK_URL = `${receiver.url}/hooks/${secret("hookpath")}`;
    env.HOOK_TOKEN = secret("hooktoken");
    env.DAEMON_TOKEN = secret("daemon");
    stored.push(
      ["contact_url", `https://hooks.example.com/${secret("contact")}`],
      ["webhook_password", secret("webhookpw")],
    );
    expect(planted.length).toBeGreaterThanOrEqual(50);

    const lab = labDir({
      targets: {
        authentik: { url: authentik.url, token: "${secret:authentik_token}" },
        grafana: {
          url: grafana.url,
          token: "${secret:grafana_token}",
          basicAuth: { username: grafana.adminUser, password: "${env:GF_ADMIN}" },
        },
        homepage: { configDir: "./homepage" },
      },
      services,
      monitoring: {
        datasources: [
          {
            name: "Loki",
            type: "loki",
            url: "http://loki:3100",
            basicAuth: undefined,
            secureJsonData: { basicAuthPassword: "${secret:loki_password}" },
          },
          {
            name: "Tempo",
            type: "tempo",
            url: "http://tempo:3200",
            secureJsonData: { basicAuthPassword: "${secret:tempo_password}" },
          },
        ],
        alerts: {
          contactPoints: [
            {
              name: "ops",
              type: "webhook",
              settings: {
                url: "${secret:contact_url}",
                password: "${secret:webhook_password}",
                authorization_credentials: "${secret:ntfy_token}",
              },
            },
          ],
          rules: [],
        },
      },
      daemon: { listen: `127.0.0.1:${port}`, token: "${env:DAEMON_TOKEN}", reconcileInterval: "1h" },
      alerts: [{ name: "hook", type: "webhook", url: "${env:HOOK_URL}", token: "${env:HOOK_TOKEN}" }],
    });
    const { dir } = lab;
    mkdirSync(join(dir, "homepage"));
    for (const [name, value] of Object.entries(files)) writeFileSync(join(dir, name), value, { mode: 0o600 });
    const allEnv: NodeJS.ProcessEnv = { ...lab.env, ...env, AUTOPILOT_LOG_LEVEL: "debug" };
    const cli = async (...args: string[]) => {
      const run: CliRun = await runCli(args, { cwd: dir, env: allEnv });
      outputs.push(run.stdout, run.stderr);
      return run;
    };
    require0((await cli("secrets", "init")).code);
    const store = await openAgeStore({
      storePath: join(dir, "secrets.age"),
      identityPath: allEnv.AUTOPILOT_AGE_IDENTITY as string,
    });
    await store.setMany(stored);

    for (const format of ["text", "json"]) {
      await cli("-o", format, "validate");
      await cli("-o", format, "plan");
    }
    const apply = await cli("apply", "--yes");
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    for (const format of ["text", "json"]) {
      await cli("-o", format, "plan");
      await cli("-o", format, "drift");
      await cli("-o", format, "doctor");
      await cli("-o", format, "secrets", "list");
      await cli("-o", format, "audit", "tail", "-n", "500");
      await cli("-o", format, "discover");
    }

    const daemon = await startDaemon(quietContext(dir, allEnv));
    try {
      const http = createHttpClient({
        target: "daemon",
        baseUrl: daemon.url,
        headers: () => ({ authorization: `Bearer ${env.DAEMON_TOKEN}` }),
      });
      outputs.push(JSON.stringify((await http.request({ method: "GET", path: "/api/status" })).body));
      outputs.push(String((await http.request({ method: "GET", path: "/metrics" })).body));
      await http.close();
    } finally {
      await daemon.stop();
    }

    const everything = outputs.join("\n");
    for (const value of planted) {
      expect(
        everything.includes(value),
        `a planted secret (${value.split("-")[0]}) appeared in command output`,
      ).toBe(false);
    }
    let secretFiles = 0;
    const mayHold = (file: string) =>
      file.includes(`${join(dir, "homepage")}/`) && /autopilot[-_]/.test(file);
    for (const file of filesUnder(dir)) {
      if (Object.keys(files).some((name) => file.endsWith(name)) || file.endsWith("secrets.age")) continue;
      const content = readFileSync(file).toString("latin1");
      const held = planted.filter((value) => content.includes(value));
      if (held.length === 0) continue;
      expect(mayHold(file), `${file} holds a planted secret`).toBe(true);
      expect(statSync(file).mode & 0o777, `${file} must be 0600`).toBe(0o600);
      secretFiles += 1;
    }
    expect(secretFiles, "the widget keys were written to Homepage's secret files").toBeGreaterThanOrEqual(20);
  }, 120_000);
});

function require0(code: number): void {
  expect(code).toBe(0);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}
