import { SECRET_NAME } from "../reference.ts";
import {
  assertSecretName,
  assertSecretValue,
  type SecretListing,
  type SecretStore,
} from "../secret-store.ts";
import type { VaultClient } from "./vault-client.ts";

/**
 * `${secret:NAME}` kept in Vault: each secret is its own KV v2 entry `{mount}/{path}/{NAME}`
 * holding one key, `value`. One entry per secret means two writers of different secrets
 * never read-modify-write the same entry, and Vault's version history is per secret.
 */
export interface VaultStoreOptions {
  client: VaultClient;
  /** KV v2 mount, e.g. "secret". */
  mount: string;
  /** Folder inside the mount, e.g. "autopilot". */
  path: string;
}

export const VALUE_KEY = "value";

/** How many metadata reads `list` runs at once. */
const LIST_CONCURRENCY = 8;

export function createVaultStore(options: VaultStoreOptions): SecretStore {
  const { client, mount } = options;
  const folder = options.path.replace(/^\/+|\/+$/g, "");
  const pathOf = (name: string) => (folder === "" ? name : `${folder}/${name}`);
  const namespace = client.namespace ? ` (namespace ${client.namespace})` : "";

  return {
    kind: "vault",
    location: `Vault ${mount}/${folder}${namespace}`,
    whereIs: (name) => `Vault at ${mount}/${pathOf(name)}${namespace} (key "${VALUE_KEY}")`,

    async get(name) {
      assertSecretName(name);
      return (await client.readKv(mount, pathOf(name)))?.data[VALUE_KEY];
    },

    async set(name, value) {
      assertSecretName(name);
      assertSecretValue(name, value);
      await client.writeKv(mount, pathOf(name), { [VALUE_KEY]: value });
    },

    async delete(name) {
      assertSecretName(name);
      const existed = (await client.readKvMetadata(mount, pathOf(name))) !== undefined;
      if (existed) await client.deleteKv(mount, pathOf(name));
      return existed;
    },

    async list() {
      const names = (await client.listKv(mount, folder)).filter((key) => SECRET_NAME.test(key)).sort();
      const listing: SecretListing[] = [];
      for (let start = 0; start < names.length; start += LIST_CONCURRENCY) {
        const batch = names.slice(start, start + LIST_CONCURRENCY);
        const metadata = await Promise.all(batch.map((name) => client.readKvMetadata(mount, pathOf(name))));
        batch.forEach((name, index) => {
          listing.push({ name, updatedAt: normaliseTime(metadata[index]?.updatedTime) });
        });
      }
      return listing;
    },
  };
}

/** Vault's RFC 3339 times carry nanoseconds; the store interface speaks ISO-8601 milliseconds. */
function normaliseTime(time: string | undefined): string | null {
  if (time === undefined) return null;
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
