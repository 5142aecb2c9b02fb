import { z } from "zod";
import { tlsSchema } from "./connection-schema.ts";
import { reportRule } from "./field-info.ts";
import { path, vaultPath } from "./fields.ts";
import { secretRef, stringOrSecretRef } from "./secret-fields.ts";
import { url } from "./url-field.ts";

export const DEFAULT_SECRETS_FILE = "./secrets.age";
export const DEFAULT_AGE_IDENTITY = "~/.config/autopilot/identity.txt";
export const AGE_IDENTITY_ENV = "AUTOPILOT_AGE_IDENTITY";

/** Read when the config is parsed, not when the module loads, so tests and shells can set it. */
export function defaultAgeIdentity(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[AGE_IDENTITY_ENV];
  return fromEnv !== undefined && fromEnv !== "" ? fromEnv : DEFAULT_AGE_IDENTITY;
}

const vaultAuthSchema = z
  .discriminatedUnion("method", [
    z.strictObject({
      method: z.literal("token").describe("Authenticate with a Vault token."),
      token: secretRef.describe("The Vault token."),
    }),
    z.strictObject({
      method: z.literal("approle").describe("Authenticate with AppRole (recommended for daemons)."),
      roleId: stringOrSecretRef.describe(
        "AppRole role id (not secret on its own; a literal or a reference).",
      ),
      secretId: secretRef.describe("AppRole secret id."),
      mount: vaultPath.default("approle").describe("Mount path of the AppRole auth method."),
    }),
  ])
  .describe("How Autopilot logs in to Vault: `method: token` or `method: approle`.");

export const vaultStoreSchema = z
  .strictObject({
    address: url.describe("Vault address, e.g. https://vault.lab.example.com:8200."),
    mount: vaultPath.default("secret").describe("KV version 2 mount."),
    path: vaultPath
      .default("autopilot")
      .describe("Path inside the mount under which Autopilot keeps its secrets."),
    namespace: vaultPath.optional().describe("Vault Enterprise namespace."),
    tls: tlsSchema.optional(),
    auth: vaultAuthSchema,
  })
  .describe("HashiCorp Vault KV v2 as the secret store.");

export const secretsSchema = z
  .strictObject({
    store: z
      .enum(["age", "vault"])
      .default("age")
      .describe("Where ${secret:NAME} references are read from: an age-encrypted file, or Vault."),
    file: path
      .default(DEFAULT_SECRETS_FILE)
      .describe("The age-encrypted store, relative to the config file's directory."),
    identity: path
      .optional()
      .describe(
        `age identity (private key) file; default from $${AGE_IDENTITY_ENV}, else ${DEFAULT_AGE_IDENTITY}.`,
      ),
    vault: vaultStoreSchema.optional(),
  })
  .superRefine((secrets, ctx) => {
    if (secrets.store === "vault" && secrets.vault === undefined) {
      reportRule(ctx, "missing-key", "is required when store is vault", {
        path: ["vault"],
        hint: "add secrets.vault: {address, auth: {method: approle, roleId, secretId}} or use store: age",
      });
    }
  })
  .describe("The secret store behind ${secret:NAME} references.");
