import { z } from "zod";
import { diffFields } from "../../../engine/field-diff.ts";
import type { ResourceKind } from "../../../engine/resource-kind.ts";
import { callAuthentik, listAll } from "../api-call.ts";
import type { AuthentikSession } from "../session.ts";
import { observed, patchOf } from "./kind-helpers.ts";

/** The secret-store name under which a token's key is kept. */
export function tokenSecretName(identifier: string): string {
  return `authentik_token_${identifier.replace(/[^A-Za-z0-9_.-]/g, "_")}`;
}

export interface TokenSpec extends Record<string, unknown> {
  identifier: string;
  intent: "api";
  /** Automation tokens never expire: an expiring API token gets its key rotated by the server. */
  expiring: boolean;
  description: string;
  /** The owning user's integer pk (the caller when absent). */
  user?: number;
}

const tokenSchema = z
  .object({
    pk: z.string(),
    identifier: z.string(),
    intent: z.string().optional(),
    expiring: z.boolean().optional(),
  })
  .passthrough();
export type ObservedToken = z.infer<typeof tokenSchema>;

const keySchema = z.object({ key: z.string().min(1) });

/**
 * API tokens, keyed by identifier. The key is never part of the token object: right after the
 * create it is read once with `view_key` and kept only in the secret store. `expires` is never
 * compared — the server rewrites it on every write.
 */
export const tokenKind: ResourceKind<TokenSpec, ObservedToken, AuthentikSession> = {
  kind: "token",
  dependsOnKinds: ["user"],
  keyOf: (token) => token.identifier,
  idOf: (token) => token.pk,
  async list(session) {
    const all = await listAll(session.http, (page, pageSize) =>
      session.core.coreTokensList({ page, pageSize }),
    );
    return all.map((token) => observed(tokenSchema, "token", token));
  },
  diff: (spec, token) => diffFields(spec, token),
  async create(session, spec, context) {
    const created = observed(
      tokenSchema,
      "token",
      await callAuthentik(session.http, () => session.core.coreTokensCreate({ tokenRequest: spec as never })),
    );
    const { key } = keySchema.parse(
      await callAuthentik(session.http, () =>
        session.core.coreTokensViewKeyRetrieve({ identifier: spec.identifier }),
      ),
    );
    await context.storeSecret(tokenSecretName(spec.identifier), key);
    return created;
  },
  async update(session, spec, token, changes) {
    const updated = await callAuthentik(session.http, () =>
      session.core.coreTokensPartialUpdate({
        identifier: token.identifier,
        patchedTokenRequest: patchOf(spec, changes) as never,
      }),
    );
    return observed(tokenSchema, "token", updated);
  },
  async delete(session, token) {
    await callAuthentik(session.http, () => session.core.coreTokensDestroy({ identifier: token.identifier }));
  },
  output: (token, field) => token[field],
};
