import { z } from "zod";
import { diffFields } from "../../../engine/field-diff.ts";
import type { ResourceKind } from "../../../engine/resource-kind.ts";
import { allPages, call, deleteIfExists } from "../api.ts";
import type { GrafanaSession } from "../session.ts";

export interface ServiceAccountSpec extends Record<string, unknown> {
  name: string;
  role: "None" | "Viewer" | "Editor" | "Admin";
  isDisabled: boolean;
}

export const serviceAccountSchema = z
  .object({
    id: z.number(),
    name: z.string(),
    login: z.string().optional(),
    role: z.string(),
    isDisabled: z.boolean(),
    tokens: z.number().optional(),
  })
  .passthrough();
export type ObservedServiceAccount = z.infer<typeof serviceAccountSchema>;

const pageSchema = z.object({ serviceAccounts: z.array(serviceAccountSchema) }).passthrough();
const updatedSchema = z
  .object({ serviceaccount: serviceAccountSchema.partial().passthrough() })
  .passthrough();
const PAGE = 100;
const BY_ID = "/api/serviceaccounts/{id}";

/** Every service account of the organisation, a page of 100 at a time. */
export async function listServiceAccounts(session: GrafanaSession): Promise<ObservedServiceAccount[]> {
  return allPages(PAGE, async (page) => {
    const result = await call(
      session.http,
      "GET",
      "/api/serviceaccounts/search",
      pageSchema,
      "service account page",
      {
        route: "/api/serviceaccounts/search",
        query: { perpage: PAGE, page },
      },
    );
    return result.serviceAccounts;
  });
}

/**
 * Service accounts, keyed by name (Grafana derives the unique login from it). Their tokens are
 * a kind of their own (service-account-tokens.ts).
 */
export const serviceAccountKind: ResourceKind<ServiceAccountSpec, ObservedServiceAccount, GrafanaSession> = {
  kind: "service-account",
  keyOf: (account) => account.name,
  idOf: (account) => String(account.id),
  list: listServiceAccounts,
  diff: (spec, account) => diffFields({ role: spec.role, isDisabled: spec.isDisabled }, account),
  async create(session, spec) {
    return call(session.http, "POST", "/api/serviceaccounts", serviceAccountSchema, "service account", {
      route: "/api/serviceaccounts",
      body: spec,
    });
  },
  async update(session, spec, account) {
    const updated = await call(
      session.http,
      "PATCH",
      `/api/serviceaccounts/${account.id}`,
      updatedSchema,
      "service account",
      {
        route: BY_ID,
        body: { role: spec.role, isDisabled: spec.isDisabled },
      },
    );
    return { ...account, ...updated.serviceaccount, role: spec.role, isDisabled: spec.isDisabled };
  },
  async delete(session, account) {
    await deleteIfExists(session.http, `/api/serviceaccounts/${account.id}`, BY_ID);
  },
  output: (account, field) => account[field],
};
