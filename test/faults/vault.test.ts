import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type AuthentikSimulator, startAuthentikSimulator } from "../../src/sandbox/authentik/server.ts";
import { startVaultSimulator, type VaultSimulator } from "../../src/sandbox/vault/server.ts";
import { redactor } from "../../src/secrets/redactor.ts";
import { runCli } from "../helpers/cli.ts";
import { labDir } from "../helpers/lab-dir.ts";

/**
 * Faults in Vault, the secret store: every generated client secret is written to and read
 * from Vault while it misbehaves. The lab must converge with no duplicate object, and the secret
 * Authentik holds must be the one Vault holds.
 */
describe("faults in Vault", () => {
  let authentik: AuthentikSimulator;
  let vault: VaultSimulator;
  let lab: ReturnType<typeof labDir>;
  let env: NodeJS.ProcessEnv;

  beforeEach(async () => {
    authentik = await startAuthentikSimulator();
    vault = await startVaultSimulator();
    lab = labDir({
      secrets: {
        store: "vault",
        vault: { address: vault.url, auth: { method: "token", token: "${env:VAULT_TOKEN}" } },
      },
      targets: { authentik: { url: authentik.url, token: "${secret:authentik_token}" } },
      services: ["Grafana", "Wiki", "Photos"].map((name) => ({
        name,
        group: "Apps",
        href: `https://${name.toLowerCase()}.lab.example.com`,
        sso: "oidc",
      })),
    });
    env = { ...lab.env, VAULT_TOKEN: vault.rootToken };
    vault.putSecret("secret", "autopilot/authentik_token", { value: authentik.token });
  });
  afterEach(async () => {
    await Promise.all([authentik.close(), vault.close()]);
    redactor.clear();
  });

  it.each([
    ["5xx", { errorRate: 0.3, errorStatus: 502 }],
    ["429 with Retry-After", { throttleRate: 0.3, retryAfterSeconds: 0 }],
    ["connection reset", { resetRate: 0.2 }],
    ["committed but response lost", { lostResponseRate: 0.3 }],
    ["latency", { latencyMs: 50 }],
    ["down for a while", { down: 1500 }],
  ])(
    "converges under %s with no duplicates and the same secret on both sides",
    async (_name, faults) => {
      vault.faults.set(faults);
      let code = -1;
      for (let attempt = 0; attempt < 10 && code !== 0; attempt++) {
        code = (await runCli(["apply", "--yes"], { cwd: lab.dir, env })).code;
        if (code !== 0) await new Promise((resolve) => setTimeout(resolve, 300));
      }
      vault.faults.set({});
      expect(code).toBe(0);
      const providers = authentik.state.providers.all();
      expect(providers.map((p) => p.name).sort()).toEqual([
        "autopilot-grafana-oidc",
        "autopilot-photos-oidc",
        "autopilot-wiki-oidc",
      ]);
      for (const provider of providers) {
        const slug = provider.name.replace(/^autopilot-|-oidc$/g, "");
        const stored = vault.readSecret("secret", `autopilot/authentik_oidc_${slug}_client_secret`);
        expect((provider as unknown as { client_secret: string }).client_secret).toBe(stored?.value);
      }
      expect((await runCli(["plan", "--detailed-exitcode"], { cwd: lab.dir, env })).code).toBe(0);
    },
    120_000,
  );
});
