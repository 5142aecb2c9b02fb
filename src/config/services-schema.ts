import { z } from "zod";
import { reportRule, withInfo } from "./field-info.ts";
import { name, refuseReference, shortText, slug } from "./fields.ts";
import { deriveSlug } from "./slug.ts";
import { url, urlProblem } from "./url-field.ts";
import { widgetSchema } from "./widget-schema.ts";

const ICON_NAME = /^[a-z0-9][a-z0-9._-]{0,99}$/i;
/** Homepage serves custom icons from its public folder, e.g. /icons/router.png. */
const LOCAL_ICON = /^\/(?!.*\.\.)[a-z0-9._/-]{1,200}$/i;

/** A Homepage icon: a bundled name (grafana.png, mdi-home, si-x), a local /icons/ path or an https URL. */
export const icon = withInfo(
  z.string().superRefine((value, ctx) => {
    if (refuseReference(value, ctx)) return;
    if (/^[a-z][a-z0-9+.-]*:/i.test(value)) {
      const problem = urlProblem(value, { httpsOnly: true });
      if (problem) reportRule(ctx, "invalid-icon", `${problem.predicate} (icons are a name or an https URL)`);
      return;
    }
    if (!ICON_NAME.test(value) && !LOCAL_ICON.test(value)) {
      reportRule(
        ctx,
        "invalid-icon",
        "must be an icon name like grafana.png, mdi-home or si-github, a path like /icons/x.png, or an https URL",
      );
    }
  }),
  { type: "icon", expected: "an icon name like grafana.png or mdi-home, a /icons/ path or an https URL" },
);

const serviceObjectSchema = z.strictObject({
  name: name.describe("Display name on Homepage; also the Authentik application name."),
  slug: slug
    .optional()
    .describe(
      "Stable key (Authentik application slug, state key). Derived from name when absent: lowercase, runs of other characters become '-'.",
    ),
  group: name.describe("Homepage group the tile appears in."),
  href: url.optional().describe("Where the tile links to; also the launch URL / external host for SSO."),
  description: shortText(200).optional().describe("One line under the tile's name."),
  icon: icon
    .optional()
    .describe("Icon name (grafana.png, mdi-home, si-github), a path like /icons/x.png, or an https URL."),
  widget: widgetSchema.optional(),
  sso: z
    .enum(["oidc", "proxy", "none"])
    .default("none")
    .describe(
      "Single sign-on through Authentik: an OAuth2/OIDC provider, a forward-auth proxy provider, or none.",
    ),
  redirectUris: z
    .array(url)
    .optional()
    .describe("OAuth2 redirect URIs allowed for this service (sso: oidc)."),
  health: url.optional().describe("URL probed to decide whether the service is healthy."),
  depends_on: z
    .array(name)
    .optional()
    .describe("Services or containers this one needs; used for ordering, healing and the dependency graph."),
  monitor: z.boolean().optional().describe("Probe `health` and report the service in metrics and alerts."),
  heal: z.boolean().optional().describe("Restart the service's container when it is unhealthy."),
  alert: z.boolean().optional().describe("Send an alert when the service stays unhealthy."),
});

export const serviceSchema = serviceObjectSchema
  .transform((service, ctx) => {
    const derived = service.slug ?? deriveSlug(service.name);
    if (derived === undefined) {
      reportRule(ctx, "invalid-slug", "gives no usable slug (no letters or digits a-z, 0-9 in it)", {
        path: ["name"],
        hint: "add slug: with lowercase letters, digits and '-'",
      });
      return z.NEVER;
    }
    return { ...service, slug: derived };
  })
  .describe(
    "A service that is not (only) a container: a Homepage tile, optionally with SSO, a widget and health checks.",
  );

export const servicesSchema = z
  .array(serviceSchema)
  .default([])
  .describe("Services declared in the file; containers add theirs through labels.");
