import type { HomelabConfig } from "../config/schema.ts";
import { type DesiredResource, outputOf, type ResourceRef } from "../engine/resource.ts";
import { tokenSecretName } from "../providers/authentik/kinds/tokens.ts";

/**
 * The Authentik token Homepage's authentik widget uses. It belongs to a service account of its
 * own, not to Autopilot's admin account: Homepage keeps it in a file its container reads, so it
 * must not be able to change anything. Authentik grants that account nothing by itself; give it
 * a role with "view user" and "view event" once (the widget shows an API error until then).
 */
export const HOMEPAGE_AUTHENTIK_USER = "autopilot-homepage";
export const HOMEPAGE_AUTHENTIK_TOKEN = "autopilot-homepage-widget";

const userRef: ResourceRef = { target: "authentik", kind: "user", key: HOMEPAGE_AUTHENTIK_USER };
export const homepageAuthentikTokenRef: ResourceRef = {
  target: "authentik",
  kind: "token",
  key: HOMEPAGE_AUTHENTIK_TOKEN,
};

/** Where the token's key lands in the secret store, as a reference. */
export const HOMEPAGE_AUTHENTIK_TOKEN_REFERENCE = `\${secret:${tokenSecretName(HOMEPAGE_AUTHENTIK_TOKEN)}}`;

export function homepageAuthentikToken(config: HomelabConfig): DesiredResource[] {
  const origin = "Homepage's Authentik widget";
  const declared = config.identity?.users.some((user) => user.username === HOMEPAGE_AUTHENTIK_USER) ?? false;
  return [
    ...(declared
      ? []
      : [
          {
            ref: userRef,
            origin,
            spec: {
              username: HOMEPAGE_AUTHENTIK_USER,
              name: "Homepage widget (Autopilot)",
              isActive: true,
              type: "service_account",
              groups: [],
            },
          },
        ]),
    {
      ref: homepageAuthentikTokenRef,
      origin,
      dependsOn: [userRef],
      spec: {
        identifier: HOMEPAGE_AUTHENTIK_TOKEN,
        intent: "api",
        expiring: false,
        description: "Homepage's Authentik widget (read-only use)",
        user: outputOf(userRef, "pk"),
      },
    },
  ];
}
