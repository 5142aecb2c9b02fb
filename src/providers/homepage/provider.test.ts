import {
  appendFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { Service } from "../../catalog/service.ts";
import { applyPlan, converged, preparePlan, type ReconcileContext } from "../../engine/reconcile.ts";
import type { DesiredResource } from "../../engine/resource.ts";
import { AuditLog } from "../../observability/audit/audit-log.ts";
import { openSqliteStateStore, type SqliteStateStore } from "../../state/sqlite-state-store.ts";
import { homepageResources } from "../../wiring/homepage.ts";
import { homepageProvider } from "./provider.ts";

const service = (name: string, overrides: Partial<Service> = {}): Service => ({
  name,
  slug: name.toLowerCase(),
  group: "Lab",
  href: `https://${name.toLowerCase()}.lab.example.com`,
  sso: "none",
  redirectUris: [],
  dependsOn: [],
  monitor: false,
  alert: false,
  origin: "test",
  ...overrides,
});

describe("Homepage target", () => {
  let dir: string;
  let state: SqliteStateStore;
  let store: Map<string, string>;
  const context = (services: Service[]): ReconcileContext => ({
    providers: [
      homepageProvider({
        configDir: dir,
        resolve: async (reference) => {
          const name = /^\$\{secret:(.+)\}$/.exec(reference)?.[1] ?? "";
          const value = store.get(name);
          if (value === undefined) throw new Error(`no secret ${name}`);
          return value;
        },
      }),
    ],
    desired: homepageResources(services).resources as DesiredResource[],
    state,
    audit: new AuditLog(state.audit),
    actor: "test",
    secrets: {
      get: async (name) => store.get(name),
      set: async (name, value) => void store.set(name, value),
    },
  });
  const apply = async (services: Service[]) => {
    const prepared = await preparePlan(context(services));
    const results = await applyPlan(context(services), prepared);
    expect(
      converged(results, prepared.plan),
      JSON.stringify(results.filter((r) => r.status === "failed")),
    ).toBe(true);
    return { prepared, results };
  };
  const mtimes = () =>
    Object.fromEntries(readdirSync(dir).map((name) => [name, statSync(join(dir, name)).mtimeMs]));

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "ap-homepage-"));
    state = await openSqliteStateStore(join(mkdtempSync(join(tmpdir(), "ap-homepage-state-")), "state.db"));
    store = new Map([["homepage_pve_token", "pve-token-value-123"]]);
  });
  afterEach(async () => {
    await state.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const lab = [
    service("Proxmox", {
      group: "Infrastructure",
      description: "Hypervisor",
      icon: "proxmox.png",
      health: "https://proxmox.lab.example.com/health",
      sso: "oidc",
      widget: {
        type: "proxmox",
        url: "https://pve:8006",
        username: "api@pam!autopilot",
        password: "${secret:homepage_pve_token}",
      },
    }),
    service("Wiki"),
  ];

  it("writes every file, the entries, the secret file (0600, no newline) and the env file; a second run writes nothing", async () => {
    await apply(lab);
    expect(readdirSync(dir).sort()).toEqual([
      "autopilot-homepage.env",
      "autopilot-secrets",
      "bookmarks.yaml",
      "docker.yaml",
      "services.yaml",
      "settings.yaml",
      "widgets.yaml",
    ]);
    for (const file of ["bookmarks.yaml", "docker.yaml", "settings.yaml", "widgets.yaml"]) {
      expect(readFileSync(join(dir, file), "utf8")).toBe("---\n");
      expect(parse(readFileSync(join(dir, file), "utf8"))).toBeNull();
    }
    const services = readFileSync(join(dir, "services.yaml"), "utf8");
    expect(services).toContain('password: "{{HOMEPAGE_FILE_AUTOPILOT_HOMEPAGE_PVE_TOKEN}}"');
    expect(services).not.toContain("pve-token-value-123");
    // Groups appear in the order their first entry was written (Proxmox waits for its secret file).
    const byGroup = (groups: Record<string, unknown>[]) => Object.assign({}, ...groups);
    expect(byGroup(parse(services))).toEqual(
      byGroup([
        {
          Infrastructure: [
            {
              Proxmox: {
                href: "https://proxmox.lab.example.com",
                description: "Hypervisor (SSO)",
                icon: "proxmox.png",
                siteMonitor: "https://proxmox.lab.example.com/health",
                widget: {
                  type: "proxmox",
                  url: "https://pve:8006",
                  username: "api@pam!autopilot",
                  password: "{{HOMEPAGE_FILE_AUTOPILOT_HOMEPAGE_PVE_TOKEN}}",
                },
              },
            },
          ],
        },
        { Lab: [{ Wiki: { href: "https://wiki.lab.example.com" } }] },
      ]),
    );
    const secret = join(dir, "autopilot-secrets", "HOMEPAGE_FILE_AUTOPILOT_HOMEPAGE_PVE_TOKEN");
    expect(readFileSync(secret, "utf8")).toBe("pve-token-value-123");
    expect(statSync(secret).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, "autopilot-homepage.env"), "utf8")).toContain(
      "HOMEPAGE_FILE_AUTOPILOT_HOMEPAGE_PVE_TOKEN=/app/config/autopilot-secrets/HOMEPAGE_FILE_AUTOPILOT_HOMEPAGE_PVE_TOKEN\n",
    );

    const before = mtimes();
    const second = await apply(lab);
    expect(second.prepared.plan.actions.every((action) => action.type === "noop")).toBe(true);
    expect(mtimes()).toEqual(before);
  });

  it("keeps the user's groups, entries and comments, and removes only its own entries when a service goes", async () => {
    writeFileSync(
      join(dir, "services.yaml"),
      "# hand-written\n- Home:\n    - Router:\n        href: http://192.168.1.1 # mine\n",
    );
    await apply(lab);
    appendFileSync(join(dir, "services.yaml"), "- Later:\n    - Printer:\n        href: http://printer\n");
    await apply([lab[0] as Service]);
    const text = readFileSync(join(dir, "services.yaml"), "utf8");
    expect(text).toContain("# hand-written");
    expect(text).toContain("href: http://192.168.1.1 # mine");
    expect(parse(text).map((group: object) => Object.keys(group)[0])).toEqual([
      "Home",
      "Infrastructure",
      "Later",
    ]);
  });

  it("rewrites its own entry when someone edits it, and reports a user entry in its place as a conflict", async () => {
    await apply(lab);
    const path = join(dir, "services.yaml");
    writeFileSync(
      path,
      readFileSync(path, "utf8").replace(
        "href: https://wiki.lab.example.com",
        "href: https://edited\n        weight: 5",
      ),
    );
    const { results } = await apply(lab);
    expect(results.find((r) => r.id === "homepage/service/Lab/Wiki")).toMatchObject({
      type: "update",
      changes: [
        { path: "entry.href", before: "https://edited", after: "https://wiki.lab.example.com" },
        { path: "entry.weight", before: 5, after: undefined },
      ],
    });
    appendFileSync(path, "- Other:\n    - Mine:\n        href: http://mine\n");
    const prepared = await preparePlan(context([...lab, service("Mine", { group: "Other" })]));
    expect(prepared.plan.actions.find((a) => a.id === "homepage/service/Other/Mine")?.type).toBe("conflict");
  });

  it("empties a secret file it no longer needs instead of removing it, and drops it from the env file", async () => {
    await apply(lab);
    await apply([service("Wiki")]);
    const secret = join(dir, "autopilot-secrets", "HOMEPAGE_FILE_AUTOPILOT_HOMEPAGE_PVE_TOKEN");
    expect(readFileSync(secret, "utf8")).toBe("");
    expect(readFileSync(join(dir, "autopilot-homepage.env"), "utf8")).not.toContain("PVE");
  });

  it("rewrites a secret file when the secret changes, without showing either value", async () => {
    await apply(lab);
    store.set("homepage_pve_token", "rotated-value-456");
    const { prepared } = await apply(lab);
    const action = prepared.plan.actions.find((a) => a.ref.kind === "secret-file");
    expect(action?.type).toBe("update");
    expect(action?.changes).toEqual([
      { path: "digest", before: expect.any(String), after: expect.any(String), sensitive: true },
    ]);
    expect(
      readFileSync(join(dir, "autopilot-secrets", "HOMEPAGE_FILE_AUTOPILOT_HOMEPAGE_PVE_TOKEN"), "utf8"),
    ).toBe("rotated-value-456");
  });

  it.each(['has"quote', "pastes$`the file before it", "pastes$'the file after it"])(
    "refuses a secret that would break the quoted placeholder: %j",
    async (secret) => {
      store.set("homepage_pve_token", secret);
      const prepared = await preparePlan(context(lab));
      const results = await applyPlan(context(lab), prepared);
      const failed = results.find((r) => r.ref.kind === "secret-file");
      expect(failed?.status).toBe("failed");
      expect(failed?.error?.message).toContain("cannot go into a Homepage placeholder");
      expect(results.find((r) => r.id === "homepage/service/Infrastructure/Proxmox")?.status).toBe("skipped");
      expect(results.find((r) => r.id === "homepage/service/Lab/Wiki")?.status).toBe("succeeded");
    },
  );
});
