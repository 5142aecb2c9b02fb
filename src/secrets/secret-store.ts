import { MIN_REDACTABLE_LENGTH } from "./redactor.ts";
import { SECRET_NAME } from "./reference.ts";
import { SecretError } from "./secret-error.ts";

/**
 * Where `${secret:NAME}` values live: the embedded age file or a Vault KV v2 mount. The CLI's
 * `secrets` commands and the resolver depend only on this interface.
 */
export interface SecretStore {
  readonly kind: "age" | "vault";
  /** Where the secrets are, for messages: the store file, or the Vault mount and path. */
  readonly location: string;
  /** Where one secret is or would be, for "not found" messages. */
  whereIs(name: string): string;
  get(name: string): Promise<string | undefined>;
  /** Several at once; stores that can make it one read do (the age file). Absent names are left out. */
  getMany?(names: readonly string[]): Promise<Map<string, string>>;
  set(name: string, value: string): Promise<void>;
  /** Several at once; stores that can make it one write do (the age file). */
  setMany?(entries: readonly (readonly [string, string])[]): Promise<void>;
  /** True when the secret existed. */
  delete(name: string): Promise<boolean>;
  /** Names sorted, with the time each was last written when the store knows it. */
  list(): Promise<SecretListing[]>;
}

export interface SecretListing {
  name: string;
  /** ISO-8601 UTC, or null when the store cannot tell. */
  updatedAt: string | null;
}

export const MAX_SECRET_BYTES = 64 * 1024;

export function assertSecretName(name: string): void {
  if (!SECRET_NAME.test(name)) {
    throw new SecretError(
      "invalid",
      `secret name "${name}" must be 1-128 characters of letters, digits, '_', '.', '-' and start with a letter or digit`,
      { hint: "choose a name like grafana_token" },
    );
  }
}

/**
 * Values shorter than the redactor's minimum could not be masked reliably in logs and output, so
 * they are refused at the door instead of leaking later.
 */
export function assertSecretValue(name: string, value: string): void {
  if (value.length === 0) {
    throw new SecretError("invalid", `secret ${name} cannot be empty`, { hint: "give the secret a value" });
  }
  if (value.length < MIN_REDACTABLE_LENGTH) {
    throw new SecretError(
      "invalid",
      `secret ${name} is shorter than ${MIN_REDACTABLE_LENGTH} characters and could not be masked reliably in logs`,
      { hint: `use a value of at least ${MIN_REDACTABLE_LENGTH} characters (a generated token is best)` },
    );
  }
  if (Buffer.byteLength(value, "utf8") > MAX_SECRET_BYTES) {
    throw new SecretError("invalid", `secret ${name} is larger than 64 KiB`, {
      hint: "store large material (certificates, key files) as a file and use ${file:PATH}",
    });
  }
}
