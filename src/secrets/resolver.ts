import { readFile } from "node:fs/promises";
import path from "node:path";
import type { AuditSink } from "../observability/audit/audit-event.ts";
import { MIN_REDACTABLE_LENGTH, redactor } from "./redactor.ts";
import { parseSecretReference, type SecretReference, SecretReferenceError } from "./reference.ts";
import { SecretError } from "./secret-error.ts";
import type { SecretStore } from "./secret-store.ts";
import type { KvSecret, VaultClient } from "./vault/vault-client.ts";

/**
 * Turns secret references into values, lazily: nothing is read until a value is asked for,
 * each reference is read at most once per process (concurrent askers share the read), every
 * value is registered with the redactor before anyone sees it, and each read is audited.
 * Failed reads are not cached, so a secret added meanwhile is found on the next try.
 */
export interface SecretResolverOptions {
  /** The configured store for `${secret:NAME}`; opened on first use. */
  store?: () => Promise<SecretStore>;
  /** Vault for `${vault:PATH#KEY}`: the client (built on first use) and the KV v2 mount. */
  vault?: { client: () => Promise<VaultClient>; mount: string };
  /** `${file:PATH}` is relative to the config file's directory. */
  configDir: string;
  env?: Record<string, string | undefined>;
  audit?: AuditSink;
  /** Who reads, for the audit log: "cli:apply", "daemon:reconcile". */
  actor: string;
}

export interface SecretResolver {
  /** A literal is returned unchanged; a reference is resolved. */
  resolve(valueOrRef: string): Promise<string>;
  resolveReference(reference: SecretReference): Promise<string>;
}

export function createSecretResolver(options: SecretResolverOptions): SecretResolver {
  const env = options.env ?? process.env;
  const values = new Map<string, Promise<string>>();
  const vaultReads = new Map<string, Promise<KvSecret | undefined>>();
  const openStore = options.store && lazily(options.store);
  const vaultClient = options.vault && lazily(options.vault.client);

  function once<T>(cache: Map<string, Promise<T>>, key: string, read: () => Promise<T>): Promise<T> {
    let pending = cache.get(key);
    if (!pending) {
      pending = read();
      cache.set(key, pending);
      pending.catch(() => cache.delete(key));
    }
    return pending;
  }

  async function read(reference: SecretReference): Promise<string> {
    switch (reference.kind) {
      case "env":
        return readEnv(reference.name, reference.raw);
      case "file":
        return readSecretFile(options.configDir, reference.path, reference.raw);
      case "secret":
        return readStoreSecret(reference.name);
      case "vault":
        return readVaultKey(reference.path, reference.key, reference.raw);
    }
  }

  function readEnv(name: string, raw: string): string {
    const value = env[name];
    if (value === undefined) {
      throw new SecretError("secret", `environment variable ${name} is not set (needed by ${raw})`, {
        hint: `export ${name} in the environment autopilot runs in, or store the value with \`autopilot secrets set\``,
      });
    }
    return value;
  }

  async function readStoreSecret(name: string): Promise<string> {
    if (!openStore) {
      throw new SecretError("config", `\${secret:${name}} is used but no secret store is configured`, {
        hint: "set `secrets.store` in the config (age or vault)",
      });
    }
    const opened = await openStore();
    const value = await opened.get(name);
    if (value === undefined) {
      throw new SecretError("secret", `secret ${name} is not in ${opened.whereIs(name)}`, {
        hint: `add it with \`autopilot secrets set ${name}\``,
      });
    }
    return value;
  }

  async function readVaultKey(vaultPath: string, key: string, raw: string): Promise<string> {
    const vault = options.vault;
    if (!vault || !vaultClient) {
      throw new SecretError("config", `${raw} is used but no Vault is configured`, {
        hint: "set `secrets.vault` (address, mount, auth) in the config",
      });
    }
    const secret = await once(vaultReads, vaultPath, async () =>
      (await vaultClient()).readKv(vault.mount, vaultPath),
    );
    if (!secret) {
      throw new SecretError(
        "secret",
        `Vault has no secret at ${vault.mount}/${vaultPath} (needed by ${raw})`,
        {
          hint: `write it with \`vault kv put -mount=${vault.mount} ${vaultPath} ${key}=…\``,
        },
      );
    }
    const value = secret.data[key];
    if (value === undefined) {
      const keys = Object.keys(secret.data).sort().join(", ") || "none";
      throw new SecretError(
        "secret",
        `Vault secret ${vault.mount}/${vaultPath} has no key "${key}" (needed by ${raw}; its keys: ${keys})`,
        { hint: `add the key with \`vault kv patch -mount=${vault.mount} ${vaultPath} ${key}=…\`` },
      );
    }
    return value;
  }

  async function resolveAndAudit(reference: SecretReference, objectKey: string): Promise<string> {
    let value: string;
    try {
      value = await read(reference);
      assertMaskable(value, reference.raw);
      redactor.register(value);
    } catch (error) {
      await options.audit?.append({
        actor: options.actor,
        action: "secret.read",
        target: "secrets",
        objectKey,
        outcome: "failure",
        details: { error: error instanceof SecretError ? error.kind : "internal" },
      });
      throw error;
    }
    await options.audit?.append({
      actor: options.actor,
      action: "secret.read",
      target: "secrets",
      objectKey,
      outcome: "success",
    });
    return value;
  }

  function resolveReference(reference: SecretReference): Promise<string> {
    const objectKey = objectKeyOf(reference);
    return once(values, objectKey, () => resolveAndAudit(reference, objectKey));
  }

  return {
    resolveReference,
    async resolve(valueOrRef) {
      let reference: SecretReference | undefined;
      try {
        reference = parseSecretReference(valueOrRef);
      } catch (error) {
        if (!(error instanceof SecretReferenceError)) throw error;
        throw new SecretError("config", error.message, { hint: "write the reference like ${secret:NAME}" });
      }
      return reference ? resolveReference(reference) : valueOrRef;
    },
  };
}

/** Calls `factory` on first use and shares its result; a failure is forgotten so the next use retries. */
function lazily<T>(factory: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    if (!pending) {
      pending = factory();
      pending.catch(() => {
        pending = undefined;
      });
    }
    return pending;
  };
}

/** The audit log's name for what was read: kind, then name or path (never the value). */
export function objectKeyOf(reference: SecretReference): string {
  switch (reference.kind) {
    case "env":
    case "secret":
      return `${reference.kind}/${reference.name}`;
    case "file":
      return `file/${reference.path}`;
    case "vault":
      return `vault/${reference.path}#${reference.key}`;
  }
}

async function readSecretFile(configDir: string, filePath: string, raw: string): Promise<string> {
  const absolute = path.resolve(configDir, filePath);
  let content: string;
  try {
    content = await readFile(absolute, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem = code === "ENOENT" ? "does not exist" : `cannot be read (${code ?? "error"})`;
    throw new SecretError("secret", `file ${absolute} ${problem} (needed by ${raw})`, {
      hint: "check the path (relative paths start at the config file's directory) and the file's owner and mode",
    });
  }
  // One trailing newline is how `echo` and editors end a file; anything else is part of the secret.
  return content.replace(/\r?\n$/, "");
}

/** A value the redactor cannot mask would leak into logs; refuse it where it enters. */
function assertMaskable(value: string, raw: string): void {
  if (value.length < MIN_REDACTABLE_LENGTH) {
    throw new SecretError(
      "secret",
      `the value of ${raw} is ${value.length === 0 ? "empty" : `shorter than ${MIN_REDACTABLE_LENGTH} characters`}, so it could not be masked in logs`,
      { hint: `use a secret of at least ${MIN_REDACTABLE_LENGTH} characters` },
    );
  }
}
