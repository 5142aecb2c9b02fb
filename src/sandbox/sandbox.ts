import { type AuthentikSimulator, startAuthentikSimulator } from "./authentik/server.ts";
import { type GrafanaSimulator, startGrafanaSimulator } from "./grafana/server.ts";
import { startVaultSimulator, type VaultSimulator } from "./vault/server.ts";

/** The simulated Authentik, Grafana and Vault, together, as `autopilot sandbox` and `demo` run them. */
export interface Sandbox {
  authentik: AuthentikSimulator;
  grafana: GrafanaSimulator;
  vault: VaultSimulator;
  /** What `sandbox --json` prints: URLs and credentials (DESIGN's product contract). */
  describe(): {
    authentik: { url: string; token: string };
    grafana: { url: string; token: string; adminUser: string; adminPassword: string };
    vault: { url: string; token: string };
  };
  close(): Promise<void>;
}

export interface SandboxPorts {
  authentik?: number;
  grafana?: number;
  vault?: number;
}

export async function startSandbox(ports: SandboxPorts = {}): Promise<Sandbox> {
  // A sandbox runs for a while: its validators are compiled before the first request.
  const compileSpecUpFront = true;
  const [authentik, grafana, vault] = await Promise.all([
    startAuthentikSimulator({
      compileSpecUpFront,
      ...(ports.authentik === undefined ? {} : { port: ports.authentik }),
    }),
    startGrafanaSimulator({
      compileSpecUpFront,
      ...(ports.grafana === undefined ? {} : { port: ports.grafana }),
    }),
    startVaultSimulator(ports.vault === undefined ? {} : { port: ports.vault }),
  ]);
  return {
    authentik,
    grafana,
    vault,
    describe: () => ({
      authentik: { url: authentik.url, token: authentik.token },
      grafana: {
        url: grafana.url,
        token: grafana.token,
        adminUser: grafana.adminUser,
        adminPassword: grafana.adminPassword,
      },
      vault: { url: vault.url, token: vault.rootToken },
    }),
    close: async () => {
      await Promise.all([authentik.close(), grafana.close(), vault.close()]);
    },
  };
}
