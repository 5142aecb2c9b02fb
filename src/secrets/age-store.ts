import { mkdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { armor, Decrypter, Encrypter } from "age-encryption";
import { z } from "zod";
import { type AgeIdentity, ensureAgeIdentity, loadAgeIdentity } from "./age-identity.ts";
import { writeFileAtomic } from "./atomic-file.ts";
import { type FileLockOptions, withFileLock } from "./file-lock.ts";
import { redactor } from "./redactor.ts";
import { SECRET_NAME } from "./reference.ts";
import { SecretError } from "./secret-error.ts";
import { assertSecretName, assertSecretValue, type SecretListing, type SecretStore } from "./secret-store.ts";

/**
 * The embedded default store: one age-encrypted, ASCII-armored file beside the config, and an
 * identity file (the private key) that only its owner can read. Every write decrypts, changes
 * and re-encrypts the whole file under a lock file, so concurrent writers never lose a change;
 * the file is replaced atomically, so a crash never leaves half a store.
 */
export interface AgeStoreOptions {
  storePath: string;
  identityPath: string;
  /** Clock for `updatedAt`; tests pin it. */
  now?: () => Date;
  lock?: FileLockOptions;
}

const storeDocumentSchema = z
  .object({
    version: z.literal(1),
    secrets: z.record(
      z.string().regex(SECRET_NAME),
      z.object({ value: z.string().min(1), updatedAt: z.string() }).strict(),
    ),
  })
  .strict();

type StoreDocument = z.infer<typeof storeDocumentSchema>;

/** Creates the identity and an empty store where they are missing; never overwrites either. */
export async function initAgeStore(
  options: AgeStoreOptions,
): Promise<{ recipient: string; created: boolean; storeCreated: boolean }> {
  if ((await exists(options.storePath)) && !(await exists(options.identityPath))) {
    // A new identity could never decrypt the existing store; creating one would only hide that.
    throw new SecretError(
      "secret",
      `the secret store ${options.storePath} exists but its identity ${options.identityPath} does not`,
      {
        hint: "restore the identity from your backup, or move the store aside to start a new one",
      },
    );
  }
  const { recipient, identity, created } = await ensureAgeIdentity(options.identityPath);
  await mkdir(path.dirname(options.storePath), { recursive: true, mode: 0o700 });
  const store = new AgeSecretStore(options, { identity, recipient });
  const storeCreated = await store.createIfMissing();
  return { recipient, created, storeCreated };
}

export async function openAgeStore(options: AgeStoreOptions): Promise<AgeSecretStore> {
  return new AgeSecretStore(options, await loadAgeIdentity(options.identityPath));
}

export class AgeSecretStore implements SecretStore {
  readonly kind = "age" as const;
  readonly location: string;
  readonly #options: AgeStoreOptions;
  readonly #key: AgeIdentity;
  /**
   * The last decrypted file, keyed by its exact text: reads compare the text (cheap) and only
   * decrypt when another write changed it. A plan over 500 services reads 500 secrets; without
   * this each read would decrypt the whole file again.
   */
  #cache: { text: string; document: Promise<StoreDocument> } | undefined;

  constructor(options: AgeStoreOptions, key: AgeIdentity) {
    this.#options = options;
    this.#key = key;
    this.location = options.storePath;
  }

  whereIs(_name: string): string {
    return `the age store ${this.location}`;
  }

  get recipient(): string {
    return this.#key.recipient;
  }

  async get(name: string): Promise<string | undefined> {
    assertSecretName(name);
    return (await this.#read()).secrets[name]?.value;
  }

  /** One read and (at most) one decryption for all of them. */
  async getMany(names: readonly string[]): Promise<Map<string, string>> {
    for (const name of names) assertSecretName(name);
    const { secrets } = await this.#read();
    const found = new Map<string, string>();
    for (const name of names) {
      const value = secrets[name]?.value;
      if (value !== undefined) found.set(name, value);
    }
    return found;
  }

  async set(name: string, value: string): Promise<void> {
    await this.setMany([[name, value]]);
  }

  /** Stores several secrets with one decrypt, one encrypt and one durable write. */
  async setMany(entries: readonly (readonly [string, string])[]): Promise<void> {
    for (const [name, value] of entries) {
      assertSecretName(name);
      assertSecretValue(name, value);
      redactor.register(value);
    }
    if (entries.length === 0) return;
    await this.#update((document) => {
      const updatedAt = (this.#options.now?.() ?? new Date()).toISOString();
      for (const [name, value] of entries) document.secrets[name] = { value, updatedAt };
      return true;
    });
  }

  async delete(name: string): Promise<boolean> {
    assertSecretName(name);
    let existed = false;
    await this.#update((document) => {
      existed = name in document.secrets;
      delete document.secrets[name];
      return existed;
    });
    return existed;
  }

  async list(): Promise<SecretListing[]> {
    const { secrets } = await this.#read();
    return Object.keys(secrets)
      .sort()
      .map((name) => ({ name, updatedAt: secrets[name]?.updatedAt ?? null }));
  }

  /** For `init`: writes an empty store unless one exists, and checks that one does decrypt. */
  async createIfMissing(): Promise<boolean> {
    return this.#withLock(async () => {
      const text = await this.#readText(true);
      if (text !== undefined) {
        await this.#decrypt(text);
        return false;
      }
      await this.#write({ version: 1, secrets: {} });
      return true;
    });
  }

  async #update(change: (document: StoreDocument) => boolean): Promise<void> {
    await this.#withLock(async () => {
      // A copy: the cached document must not hold a change that never reached the disk.
      const document = structuredClone(await this.#read());
      if (change(document)) await this.#write(document);
    });
  }

  #withLock<T>(work: () => Promise<T>): Promise<T> {
    return withFileLock(`${this.#options.storePath}.lock`, work, this.#options.lock);
  }

  async #read(): Promise<StoreDocument> {
    const text = (await this.#readText(false)) as string;
    // The promise is cached, not the result: 500 reads started together share one decryption.
    if (this.#cache?.text === text) return this.#cache.document;
    const document = this.#decrypt(text);
    this.#cache = { text, document };
    document.catch(() => {
      if (this.#cache?.document === document) this.#cache = undefined;
    });
    return document;
  }

  async #readText(missingOk: boolean): Promise<string | undefined> {
    const file = this.#options.storePath;
    try {
      return await readFile(file, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT") {
        if (missingOk) return undefined;
        throw new SecretError("secret", `the secret store ${file} does not exist`, {
          hint: "run `autopilot secrets init` to create it",
        });
      }
      throw new SecretError("secret", `the secret store ${file} cannot be read (${code ?? "error"})`, {
        hint: "check that the file belongs to the user running autopilot",
        cause: error,
      });
    }
  }

  async #decrypt(text: string): Promise<StoreDocument> {
    const file = this.#options.storePath;
    let plaintext: string;
    try {
      const decrypter = new Decrypter();
      decrypter.addIdentity(this.#key.identity);
      plaintext = await decrypter.decrypt(armor.decode(text), "text");
    } catch (error) {
      if (error instanceof Error && /no identity matched/.test(error.message)) {
        throw new SecretError(
          "secret",
          `the secret store ${file} cannot be decrypted with the identity ${this.#options.identityPath} (it was encrypted to another key)`,
          { hint: "point autopilot at the identity the store was created with" },
        );
      }
      throw corrupted(file);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(plaintext);
    } catch {
      throw corrupted(file);
    }
    const result = storeDocumentSchema.safeParse(parsed);
    if (!result.success) throw corrupted(file);
    for (const entry of Object.values(result.data.secrets)) redactor.register(entry.value);
    return result.data;
  }

  async #write(document: StoreDocument): Promise<void> {
    const encrypter = new Encrypter();
    encrypter.addRecipient(this.#key.recipient);
    const ciphertext = await encrypter.encrypt(JSON.stringify(document));
    const text = armor.encode(ciphertext);
    await writeFileAtomic(this.#options.storePath, text, 0o600);
    this.#cache = { text, document: Promise.resolve(document) };
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

/** No cause attached: a parse error could quote decrypted text. */
function corrupted(file: string): SecretError {
  return new SecretError("secret", `the secret store ${file} is corrupted and cannot be read`, {
    hint: "restore it from a backup, or move it aside and run `autopilot secrets init` to start a new one",
  });
}
