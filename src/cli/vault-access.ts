import type { LoadedConfig } from "../config/load.ts";
import { AutopilotError } from "../errors/autopilot-error.ts";
import { createHttpClient } from "../http/client.ts";
import { targetHttpOptions } from "../http/target-options.ts";
import type { HttpClient } from "../http/types.ts";
import type { SecretStore } from "../secrets/secret-store.ts";
import { appRoleAuth, tokenAuth } from "../secrets/vault/vault-auth.ts";
import { createVaultClient, type VaultClient } from "../secrets/vault/vault-client.ts";
import { createVaultStore } from "../secrets/vault/vault-store.ts";

export interface VaultAccess {
  client: VaultClient;
  store: SecretStore;
  http: HttpClient;
  close(): Promise<void>;
}

interface Resolver {
  resolve(value: string): Promise<string>;
}

/** Connects to the Vault the config names (secrets.vault), for the store and ${vault:…} references. */
export async function openVaultAccess(loaded: LoadedConfig, resolver: Resolver): Promise<VaultAccess> {
  const settings = loaded.config.secrets.vault;
  if (!settings) {
    throw new AutopilotError(
      "config",
      "a ${vault:…} reference or `store: vault` needs secrets.vault in the config",
      {
        hint: "add secrets.vault: {address, auth: {method: approle, roleId, secretId}}",
      },
    );
  }
  if (settings.auth.method === "token" && settings.auth.token.startsWith("${secret:")) {
    throw new AutopilotError(
      "config",
      "secrets.vault.auth.token cannot be a ${secret:…} reference: that secret would live in Vault itself",
      {
        hint: "use ${env:VAULT_TOKEN} or ${file:/run/secrets/vault_token}",
      },
    );
  }
  const auth =
    settings.auth.method === "token"
      ? tokenAuth(await resolver.resolve(settings.auth.token))
      : appRoleAuth({
          roleId: await resolver.resolve(settings.auth.roleId),
          secretId: await resolver.resolve(settings.auth.secretId),
          mount: settings.auth.mount,
        });
  const http = createHttpClient(
    await targetHttpOptions("vault", { url: settings.address, tls: settings.tls }, loaded.resolvePath),
  );
  const client = createVaultClient({
    http,
    auth,
    ...(settings.namespace ? { namespace: settings.namespace } : {}),
  });
  const store = createVaultStore({ client, mount: settings.mount, path: settings.path });
  return { client, store, http, close: () => http.close() };
}
