import { z } from "zod";
import { diffFields } from "../../../engine/field-diff.ts";
import type { ResourceKind } from "../../../engine/resource-kind.ts";
import { callAuthentik, listAll } from "../api-call.ts";
import type { AuthentikSession } from "../session.ts";
import { observed, patchOf } from "./kind-helpers.ts";

export interface ApplicationSpec extends Record<string, unknown> {
  name: string;
  slug: string;
  /** The backing provider's integer pk (one provider backs at most one application). */
  provider: number | null;
  metaLaunchUrl?: string;
  metaDescription?: string;
  metaIcon?: string;
  group?: string;
  openInNewTab?: boolean;
}

const applicationSchema = z
  .object({ pk: z.string(), slug: z.string(), name: z.string(), provider: z.number().nullable().optional() })
  .passthrough();
export type ObservedApplication = z.infer<typeof applicationSchema>;

/**
 * Applications, keyed by slug. Listed with `superuser_full_list=true`: the plain list is
 * filtered by each application's access policy for the caller and hides `meta_hide` apps, so
 * it would make existing applications look absent (and get them created twice).
 */
export const applicationKind: ResourceKind<ApplicationSpec, ObservedApplication, AuthentikSession> = {
  kind: "application",
  dependsOnKinds: ["oauth2-provider", "proxy-provider"],
  keyOf: (application) => application.slug,
  idOf: (application) => application.pk,
  async list(session) {
    const all = await listAll(session.http, (page, pageSize) =>
      session.core.coreApplicationsList({ page, pageSize, superuserFullList: true }),
    );
    return all.map((application) => observed(applicationSchema, "application", application));
  },
  async read(session, slug) {
    try {
      const found = await callAuthentik(session.http, () => session.core.coreApplicationsRetrieve({ slug }));
      return observed(applicationSchema, "application", found);
    } catch (error) {
      if ((error as { kind?: string }).kind === "not-found") return undefined;
      throw error;
    }
  },
  diff: (spec, application) => diffFields(spec, application),
  async create(session, spec) {
    const created = await callAuthentik(session.http, () =>
      session.core.coreApplicationsCreate({ applicationRequest: spec }),
    );
    return observed(applicationSchema, "application", created);
  },
  async update(session, spec, application, changes) {
    const updated = await callAuthentik(session.http, () =>
      session.core.coreApplicationsPartialUpdate({
        slug: application.slug,
        patchedApplicationRequest: patchOf(spec, changes),
      }),
    );
    return observed(applicationSchema, "application", updated);
  },
  async delete(session, application) {
    await callAuthentik(session.http, () => session.core.coreApplicationsDestroy({ slug: application.slug }));
  },
  output: (application, field) => application[field],
};
