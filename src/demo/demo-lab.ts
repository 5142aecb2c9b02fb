import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import type { Sandbox } from "../sandbox/sandbox.ts";
import { writeFileAtomic } from "../secrets/atomic-file.ts";

export interface DemoLabOptions {
  dir: string;
  sandbox: Sandbox;
  daemonPort: number;
  /** A reachable Docker engine, when there is one. */
  dockerEndpoint?: string;
}

/** The example services of the demo: enough to show SSO (both kinds), widgets and dependencies. */
export const DEMO_SERVICES = [
  {
    name: "Grafana",
    group: "Monitoring",
    href: "https://grafana.demo.lab",
    description: "Dashboards",
    sso: "oidc",
    monitor: true,
  },
  {
    name: "Wiki",
    group: "Docs",
    href: "https://wiki.demo.lab",
    description: "Notes and runbooks",
    sso: "oidc",
    depends_on: ["Postgres"],
  },
  { name: "Postgres", group: "Infrastructure", description: "Database for the wiki", monitor: true },
  {
    name: "Sonarr",
    group: "Media",
    href: "https://sonarr.demo.lab",
    description: "TV series",
    sso: "proxy",
    depends_on: ["NAS"],
  },
  {
    name: "NAS",
    group: "Infrastructure",
    href: "https://nas.demo.lab",
    description: "Storage",
    monitor: true,
  },
];

/**
 * Writes `homelab.yaml` for the demo into `dir`, pointing at the sandbox's simulators. It is
 * rewritten on every `autopilot demo` because the simulators get new ports and tokens each time;
 * the secret store and state beside it are kept.
 */
export async function writeDemoConfig(options: DemoLabOptions): Promise<string> {
  mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  mkdirSync(join(options.dir, "homepage"), { recursive: true });
  const info = options.sandbox.describe();
  const config = {
    apiVersion: "autopilot/v1",
    domain: "demo.lab",
    secrets: { store: "age", file: "./secrets.age", identity: "./identity.txt" },
    state: { path: "./state.db" },
    targets: {
      authentik: { url: info.authentik.url, token: "${secret:authentik_token}" },
      grafana: {
        url: info.grafana.url,
        token: "${secret:grafana_token}",
        basicAuth: { username: info.grafana.adminUser, password: "${secret:grafana_admin_password}" },
      },
      homepage: { configDir: "./homepage" },
      ...(options.dockerEndpoint ? { docker: { endpoints: [options.dockerEndpoint] } } : {}),
    },
    services: DEMO_SERVICES,
    identity: {
      groups: [{ name: "admins", superuser: true }, { name: "family" }],
      users: [
        { username: "alice", name: "Alice", email: "alice@demo.lab", groups: ["admins"] },
        { username: "bob", name: "Bob", email: "bob@demo.lab", groups: ["family"] },
      ],
    },
    policies: {
      healing: { enabled: true, maxRestarts: 3, window: "10m" },
      drift: { interval: "30s", remediate: false },
    },
    daemon: {
      listen: `127.0.0.1:${options.daemonPort}`,
      token: "${secret:daemon_token}",
      reconcileInterval: "60s",
    },
  };
  const file = join(options.dir, "homelab.yaml");
  const header = "# Written by `autopilot demo` for the sandbox on this machine; rewritten on every run.\n";
  await writeFileAtomic(file, header + stringify(config), 0o600);
  return file;
}
