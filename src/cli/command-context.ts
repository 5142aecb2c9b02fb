import { dirname, resolve } from "node:path";
import { type LoadedConfig, loadConfig } from "../config/load.ts";
import { AuditLog } from "../observability/audit/audit-log.ts";
import { createSecretResolver } from "../secrets/resolver.ts";
import type { SecretStore } from "../secrets/secret-store.ts";
import { openSqliteStateStore, type SqliteStateStore } from "../state/sqlite-state-store.ts";
import type { CliIO } from "./cli-io.ts";
import type { Output } from "./output.ts";
import type { VaultAccess } from "./vault-access.ts";

export interface GlobalOptions {
  config: string;
  /** text and json everywhere; dot and mermaid only where a command draws (graph). */
  output: "text" | "json" | "dot" | "mermaid";
  env?: string;
  logLevel?: string;
  color: boolean;
}

type SecretResolver = ReturnType<typeof createSecretResolver>;

/** The age identity path; loadConfig always fills it (from the config or the environment). */
export function identityOf(config: LoadedConfig["config"]): string {
  return config.secrets.identity as string;
}

/**
 * What a command may need, created on first use and closed when the command ends: the config,
 * the state store and audit log, the secret store and resolver. A command that needs none of
 * them (`--help`, `validate`) opens nothing.
 */
export class CommandContext {
  readonly io: CliIO;
  readonly output: Output;
  readonly options: GlobalOptions;
  readonly actor: string;
  #config?: Promise<LoadedConfig>;
  #state?: Promise<SqliteStateStore>;
  #audit?: Promise<AuditLog>;
  #store?: Promise<SecretStore>;
  #vault?: Promise<VaultAccess>;
  #resolver?: SecretResolver;

  constructor(io: CliIO, output: Output, options: GlobalOptions, actor: string) {
    this.io = io;
    this.output = output;
    this.options = options;
    this.actor = actor;
  }

  /** The config file path as the user gave it, made absolute. */
  get configPath(): string {
    return resolve(this.io.cwd, this.options.config);
  }

  config(): Promise<LoadedConfig> {
    this.#config ??= loadConfig(this.configPath, {
      env: this.io.env,
      ...(this.options.env ? { environment: this.options.env } : {}),
    });
    return this.#config;
  }

  /** The state store; `statePath` overrides the config (for `audit verify --state`). */
  state(statePath?: string): Promise<SqliteStateStore> {
    this.#state ??= (async () => {
      const file = statePath
        ? resolve(this.io.cwd, statePath)
        : (await this.config()).resolvePath((await this.config()).config.state.path);
      return openSqliteStateStore(file);
    })();
    return this.#state;
  }

  audit(): Promise<AuditLog> {
    this.#audit ??= this.state().then((state) => new AuditLog(state.audit));
    return this.#audit;
  }

  /** The configured secret store: the age file, or Vault. */
  secretStore(): Promise<SecretStore> {
    this.#store ??= (async () => {
      const { config, resolvePath } = await this.config();
      if (config.secrets.store === "vault") return (await this.vault()).store;
      // Loaded on first use: commands that never touch a secret skip age's crypto modules.
      const { openAgeStore } = await import("../secrets/age-store.ts");
      return openAgeStore({
        storePath: resolvePath(config.secrets.file),
        identityPath: resolvePath(identityOf(config)),
      });
    })();
    return this.#store;
  }

  vault(): Promise<VaultAccess> {
    this.#vault ??= (async () => {
      const loaded = await this.config();
      const { openVaultAccess } = await import("./vault-access.ts");
      return openVaultAccess(loaded, this.resolverForVault());
    })();
    return this.#vault;
  }

  /** Resolves secret references lazily, auditing each first read. */
  async secrets(): Promise<SecretResolver> {
    if (this.#resolver) return this.#resolver;
    const loaded = await this.config();
    const audit = await this.audit();
    this.#resolver = createSecretResolver({
      store: () => this.secretStore(),
      ...(loaded.config.secrets.vault
        ? {
            vault: {
              client: async () => (await this.vault()).client,
              mount: loaded.config.secrets.vault.mount,
            },
          }
        : {}),
      configDir: loaded.dir,
      env: this.io.env,
      audit,
      actor: this.actor,
    });
    return this.#resolver;
  }

  /**
   * Vault's own credentials may be `${env:…}` or `${file:…}` references (never `${secret:…}`,
   * which would need Vault to read Vault), so they get a resolver without a store.
   */
  private resolverForVault(): SecretResolver {
    return createSecretResolver({ configDir: this.configDir(), env: this.io.env, actor: this.actor });
  }

  private configDir(): string {
    return dirname(this.configPath);
  }

  /**
   * Forgets the loaded config so the next `config()` reads the file again (the daemon, after the
   * file changed). The state store stays open: its path is fixed for the life of the process.
   */
  async reloadConfig(): Promise<LoadedConfig> {
    const next = loadConfig(this.configPath, {
      env: this.io.env,
      ...(this.options.env ? { environment: this.options.env } : {}),
    });
    const loaded = await next; // throws on an invalid file: the caller keeps the previous config
    const vault = this.#vault ? await this.#vault.catch(() => undefined) : undefined;
    await vault?.close();
    this.#config = next;
    this.#store = undefined;
    this.#vault = undefined;
    this.#resolver = undefined;
    return loaded;
  }

  async close(): Promise<void> {
    const vault = this.#vault ? await this.#vault.catch(() => undefined) : undefined;
    await vault?.close();
    const state = this.#state ? await this.#state.catch(() => undefined) : undefined;
    await state?.close();
  }
}
