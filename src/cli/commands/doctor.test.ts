import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { runCli } from "../../../test/helpers/cli.ts";
import { labDir } from "../../../test/helpers/lab-dir.ts";
import { createTestPki, opensslSpkiPin, type TestPki } from "../../../test/helpers/test-ca.ts";
import { type AuthentikSimulator, startAuthentikSimulator } from "../../sandbox/authentik/server.ts";
import { type GrafanaSimulator, startGrafanaSimulator } from "../../sandbox/grafana/server.ts";
import { startVaultSimulator, type VaultSimulator } from "../../sandbox/vault/server.ts";

describe("autopilot doctor", () => {
  let pki: TestPki;
  let authentik: AuthentikSimulator;
  let grafana: GrafanaSimulator;
  let vault: VaultSimulator;

  beforeAll(async () => {
    pki = createTestPki();
    authentik = await startAuthentikSimulator();
    grafana = await startGrafanaSimulator({ tls: { cert: pki.server.cert, key: pki.server.key } });
    vault = await startVaultSimulator();
  });
  afterAll(async () => {
    await Promise.all([authentik.close(), grafana.close(), vault.close()]);
    pki.cleanup();
  });

  function lab(overrides: { authentikToken?: string; grafanaTls?: Record<string, unknown> } = {}) {
    const setup = labDir({
      secrets: {
        store: "vault",
        vault: { address: vault.url, auth: { method: "token", token: "${env:VAULT_TOKEN}" } },
      },
      targets: {
        authentik: { url: authentik.url, token: "${env:AK_TOKEN}" },
        grafana: {
          url: grafana.url.replace("127.0.0.1", "localhost"),
          token: "${env:GF_TOKEN}",
          basicAuth: { username: grafana.adminUser, password: "${env:GF_ADMIN}" },
          tls: overrides.grafanaTls ?? { ca: pki.ca.certPath },
        },
        homepage: { configDir: "./homepage" },
        docker: { endpoints: [inject("dockerHost")] },
      },
    });
    mkdirSync(join(setup.dir, "homepage"));
    const env = {
      ...setup.env,
      VAULT_TOKEN: vault.rootToken,
      AK_TOKEN: overrides.authentikToken ?? authentik.token,
      GF_TOKEN: grafana.token,
      GF_ADMIN: grafana.adminPassword,
    };
    return { dir: setup.dir, env };
  }

  it("reports every target healthy: reach, TLS, auth and version", async () => {
    const { dir, env } = lab();
    const run = await runCli(["doctor", "-o", "json"], { cwd: dir, env });
    const result = JSON.parse(run.stdout);
    expect(result.ok, run.stdout).toBe(true);
    expect(run.code).toBe(0);
    const byTarget = Object.fromEntries(
      result.targets.map((t: { target: string; checks: unknown[] }) => [t.target, t.checks]),
    );
    expect(byTarget.authentik).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: "auth", status: "ok" }),
        expect.objectContaining({ name: "version", status: "ok", detail: "Authentik 2026.8.3" }),
      ]),
    );
    expect(byTarget.grafana).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: "tls", status: "ok" }),
        expect.objectContaining({ name: "access", status: "ok" }),
        expect.objectContaining({ name: "version", status: "ok", detail: "Grafana 13.0.1" }),
      ]),
    );
    expect(byTarget.vault).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: "auth", status: "ok" })]),
    );
    expect(byTarget.docker).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: "reach", status: "ok" })]),
    );
    expect(byTarget.homepage).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: "access", status: "ok" })]),
    );
  });

  it("accepts Grafana by its SPKI pin on top of the CA, and refuses a wrong pin", async () => {
    const right = lab({ grafanaTls: { ca: pki.ca.certPath, pin: opensslSpkiPin(pki.server.certPath) } });
    expect((await runCli(["doctor"], { cwd: right.dir, env: right.env })).code).toBe(0);
    const wrong = lab({ grafanaTls: { ca: pki.ca.certPath, pin: opensslSpkiPin(pki.otherCa.certPath) } });
    const run = await runCli(["doctor"], { cwd: wrong.dir, env: wrong.env });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/grafana[\s\S]*✗ reach/);
  });

  it("fails the TLS check of a self-signed target without its CA, and says what to do", async () => {
    const { dir, env } = lab({ grafanaTls: {} });
    const run = await runCli(["doctor"], { cwd: dir, env });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("tls.ca");
  });

  it("fails on a bad token with a clear message and no retry storm", async () => {
    const { dir, env } = lab({ authentikToken: "not-a-valid-token-at-all" });
    const before = authentik.server.log.all().length;
    const run = await runCli(["doctor"], { cwd: dir, env });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /✗ auth +authentik GET \/api\/v3\/admin\/version\/ → 403 .*Token invalid\/expired/,
    );
    expect(run.stdout + run.stderr).not.toContain("not-a-valid-token-at-all");
    expect(authentik.server.log.all().length - before).toBe(2);
  });

  it("refuses an Authentik release outside the supported range", async () => {
    const old = await startAuthentikSimulator({ version: "2025.10.2" });
    try {
      const { dir, env } = lab();
      const setup = labDir({ targets: { authentik: { url: old.url, token: "${env:AK_TOKEN}" } } });
      const run = await runCli(["doctor"], {
        cwd: setup.dir,
        env: { ...env, ...setup.env, AK_TOKEN: old.token },
      });
      expect(dir).toBeTruthy();
      expect(run.code).toBe(1);
      expect(run.stdout).toContain("Authentik 2025.10.2 is outside the supported range 2026.8–2026.8");
    } finally {
      await old.close();
    }
  });

  it("says when Vault is sealed", async () => {
    const { dir, env } = lab();
    vault.seal();
    try {
      const run = await runCli(["doctor", "-o", "json"], { cwd: dir, env });
      expect(run.code).toBe(1);
      expect(run.stdout).toContain("Vault is sealed");
    } finally {
      vault.unseal();
    }
  });
});
