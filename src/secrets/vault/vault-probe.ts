import type { ProbeCheck, ProbeResult } from "../../providers/probe.ts";
import { failedCheck, tlsCheck } from "../../providers/probe.ts";
import type { VaultClient } from "./vault-client.ts";

/** Vault as the secret store: reachable, unsealed, and our token (or AppRole login) accepted. */
export async function probeVault(address: string, client: () => Promise<VaultClient>): Promise<ProbeResult> {
  const checks: ProbeCheck[] = [];
  let vault: VaultClient;
  try {
    vault = await client();
  } catch (error) {
    return { target: "vault", url: address, checks: [failedCheck("auth", error)] };
  }
  let reachError: unknown;
  try {
    const health = await vault.health();
    checks.push(
      health.sealed
        ? {
            name: "reach",
            status: "fail",
            detail: "Vault is sealed",
            hint: "unseal Vault (vault operator unseal)",
          }
        : { name: "reach", status: "ok", detail: health.standby ? "standby node" : "active" },
    );
    if (health.version) checks.push({ name: "version", status: "ok", detail: `Vault ${health.version}` });
  } catch (error) {
    reachError = error;
    checks.push(failedCheck("reach", error));
  }
  checks.push(tlsCheck(address, reachError));
  if (!reachError) {
    try {
      const info = await vault.lookupSelf();
      checks.push({
        name: "auth",
        status: "ok",
        detail: `token accepted (policies: ${info.policies.join(", ") || "none"})`,
      });
    } catch (error) {
      checks.push(failedCheck("auth", error));
    }
  }
  return { target: "vault", url: address, checks };
}
