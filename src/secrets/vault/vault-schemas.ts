import { z } from "zod";
import { SecretError } from "../secret-error.ts";

/** Vault's answers, parsed before use; only the fields Autopilot reads are required. */

export const kvReadSchema = z.object({
  data: z.object({
    data: z.record(z.string(), z.unknown()).nullable(),
    metadata: z.object({ version: z.number().int() }).passthrough(),
  }),
});

export const kvWriteSchema = z.object({ data: z.object({ version: z.number().int() }).passthrough() });

export const kvListSchema = z.object({ data: z.object({ keys: z.array(z.string()) }) });

export const kvMetadataSchema = z.object({
  data: z
    .object({
      current_version: z.number().int(),
      created_time: z.string(),
      updated_time: z.string(),
    })
    .passthrough(),
});

export const healthSchema = z
  .object({
    initialized: z.boolean(),
    sealed: z.boolean(),
    standby: z.boolean(),
    version: z.string().optional(),
  })
  .passthrough();

export const authSchema = z.object({
  auth: z
    .object({
      client_token: z.string().min(1),
      lease_duration: z.number().int().min(0),
      renewable: z.boolean(),
    })
    .passthrough(),
});

export const lookupSelfSchema = z.object({
  data: z
    .object({
      accessor: z.string(),
      policies: z.array(z.string()).nullable(),
      ttl: z.number().int().min(0),
      creation_ttl: z.number().int().min(0).optional(),
      expire_time: z.string().nullable(),
      renewable: z.boolean(),
    })
    .passthrough(),
});

export function parseVaultBody<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const result = schema.safeParse(body);
  if (!result.success) {
    throw new SecretError("unavailable", `Vault answered ${what} with a body Autopilot does not understand`, {
      hint: "check that the Vault URL points at Vault itself and that it is version 1.x",
    });
  }
  return result.data;
}
