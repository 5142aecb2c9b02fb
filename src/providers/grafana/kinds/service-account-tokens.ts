import { z } from "zod";
import type { FieldChange } from "../../../engine/field-diff.ts";
import type { ResourceKind, WriteContext } from "../../../engine/resource-kind.ts";
import { AutopilotError } from "../../../errors/autopilot-error.ts";
import { isUnknownOutcome } from "../../../http/errors.ts";
import { redactor } from "../../../secrets/redactor.ts";
import { call, DETAIL_READS, deleteIfExists, mapConcurrently } from "../api.ts";
import type { GrafanaSession } from "../session.ts";
import { secretDigest } from "../write-only.ts";
import { listServiceAccounts } from "./service-accounts.ts";

export interface ServiceAccountTokenSpec extends Record<string, unknown> {
  /** Unique in the whole organisation (Grafana's rule), hence the key. */
  name: string;
  /** The owning service account's name, and its numeric id (an output of that resource). */
  serviceAccount: string;
  serviceAccountId: number;
  /** Where the key is kept in the secret store. */
  secretName: string;
  /** 0: never expires. */
  secondsToLive: number;
}

export interface ObservedToken {
  id: number;
  name: string;
  serviceAccount: string;
  serviceAccountId: number;
  hasExpired: boolean;
  isRevoked: boolean;
}

const tokenSchema = z
  .object({
    id: z.number(),
    name: z.string(),
    hasExpired: z.boolean().nullable().optional(),
    isRevoked: z.boolean().nullable().optional(),
  })
  .passthrough();
const createdSchema = z.object({ id: z.number(), name: z.string(), key: z.string().min(1) }).passthrough();
const TOKENS = "/api/serviceaccounts/{id}/tokens";
const ATTEMPTS = 3;

/**
 * Service-account tokens, keyed by name. Grafana shows a token's key once, in the answer to its
 * creation, so the key goes to the secret store before anything else happens; a token whose key
 * Autopilot never held is useless to it. Hence the rules:
 * - A create whose answer was lost is not left to the engine's re-read (which would find the
 *   token and call it done, keyless): the token is looked up, deleted if it got made, and made
 *   again; if that keeps failing it is deleted rather than left behind.
 * - A token is replaced (deleted and made again, with a new key stored) when Grafana revoked it
 *   (secret scanning), it expired, it belongs to another account, or no key was stored for it
 *   (the "key" digest is recorded only after a create that stored its key).
 */
export const serviceAccountTokenKind: ResourceKind<ServiceAccountTokenSpec, ObservedToken, GrafanaSession> = {
  kind: "service-account-token",
  dependsOnKinds: ["service-account"],
  keyOf: (token) => token.name,
  idOf: (token) => String(token.id),
  list: listTokens,
  diff: (spec, token, prior) => tokenChanges(spec, token, prior),
  create: (session, spec, context) => keyless(() => issueToken(session, spec, context)),
  update: (session, spec, token, _changes, context) =>
    keyless(async () => {
      await deleteToken(session, token);
      return issueToken(session, spec, context);
    }),
  delete: (session, token) => deleteToken(session, token),
  output: (token, field) => (token as unknown as Record<string, unknown>)[field],
  writeOnlyDigests: (spec) => ({ key: keyMarker(spec) }),
};

export function tokenChanges(
  spec: ServiceAccountTokenSpec,
  token: ObservedToken,
  prior: Readonly<Record<string, string>>,
): FieldChange[] {
  const changes: FieldChange[] = [];
  if (token.serviceAccountId !== spec.serviceAccountId) {
    changes.push({ path: "serviceAccount", before: token.serviceAccount, after: spec.serviceAccount });
  }
  if (token.isRevoked) changes.push({ path: "state", before: "revoked", after: "active" });
  else if (token.hasExpired) changes.push({ path: "state", before: "expired", after: "active" });
  if (prior.key !== keyMarker(spec)) {
    changes.push({
      path: "key",
      before: "(not in the secret store)",
      after: `(new key in ${spec.secretName})`,
    });
  }
  return changes;
}

/**
 * The engine answers an unknown outcome by re-reading and, finding the token, calling the write
 * done; for a token that would mean done without a key. So no unknown outcome leaves this kind:
 * the failure is reported as it is, and the next apply sees the token (if any) without its
 * "key" digest and replaces it.
 */
async function keyless<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!isUnknownOutcome(error)) throw error;
    throw new AutopilotError(
      "unavailable",
      `grafana failed while a token was being made: ${(error as Error).message}`,
      {
        hint: "apply again: a token left without its key is replaced",
        retryable: true,
        cause: error,
      },
    );
  }
}

function keyMarker(spec: ServiceAccountTokenSpec): string {
  return secretDigest(`stored-as:${spec.secretName}`);
}

/** Tokens of every service account that has any: one list per such account. */
async function listTokens(session: GrafanaSession): Promise<ObservedToken[]> {
  const accounts = (await listServiceAccounts(session)).filter((account) => (account.tokens ?? 1) > 0);
  const lists = await mapConcurrently(accounts, DETAIL_READS, async (account) => {
    const tokens = await call(
      session.http,
      "GET",
      `/api/serviceaccounts/${account.id}/tokens`,
      z.array(tokenSchema),
      "token list",
      {
        route: TOKENS,
      },
    );
    return tokens.map((token) => ({
      id: token.id,
      name: token.name,
      serviceAccount: account.name,
      serviceAccountId: account.id,
      hasExpired: token.hasExpired ?? false,
      isRevoked: token.isRevoked ?? false,
    }));
  });
  return lists.flat();
}

async function findToken(
  session: GrafanaSession,
  spec: ServiceAccountTokenSpec,
): Promise<ObservedToken | undefined> {
  const tokens = await call(
    session.http,
    "GET",
    `/api/serviceaccounts/${spec.serviceAccountId}/tokens`,
    z.array(tokenSchema),
    "token list",
    { route: TOKENS },
  );
  const found = tokens.find((token) => token.name === spec.name);
  return (
    found && {
      id: found.id,
      name: found.name,
      serviceAccount: spec.serviceAccount,
      serviceAccountId: spec.serviceAccountId,
      hasExpired: false,
      isRevoked: false,
    }
  );
}

async function deleteToken(
  session: GrafanaSession,
  token: Pick<ObservedToken, "id" | "serviceAccountId">,
): Promise<void> {
  await deleteIfExists(
    session.http,
    `/api/serviceaccounts/${token.serviceAccountId}/tokens/${token.id}`,
    `${TOKENS}/{tokenId}`,
  );
}

async function issueToken(
  session: GrafanaSession,
  spec: ServiceAccountTokenSpec,
  context: WriteContext,
): Promise<ObservedToken> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    let created: z.infer<typeof createdSchema>;
    try {
      created = await call(
        session.http,
        "POST",
        `/api/serviceaccounts/${spec.serviceAccountId}/tokens`,
        createdSchema,
        "new token",
        {
          route: TOKENS,
          body: { name: spec.name, secondsToLive: spec.secondsToLive },
        },
      );
    } catch (error) {
      if (!isUnknownOutcome(error)) throw error;
      // It may exist now, with a key nobody will ever see again.
      const orphan = await findToken(session, spec);
      if (orphan) await deleteToken(session, orphan);
      continue;
    }
    redactor.register(created.key);
    const token = {
      id: created.id,
      name: created.name,
      serviceAccount: spec.serviceAccount,
      serviceAccountId: spec.serviceAccountId,
      hasExpired: false,
      isRevoked: false,
    };
    try {
      await context.storeSecret(spec.secretName, created.key);
    } catch (error) {
      await deleteToken(session, token);
      throw error;
    }
    return token;
  }
  throw new AutopilotError(
    "unavailable",
    `grafana did not confirm the creation of token ${spec.name} after ${ATTEMPTS} attempts; no token was left behind`,
    { hint: "check Grafana's health, then apply again", retryable: true },
  );
}
