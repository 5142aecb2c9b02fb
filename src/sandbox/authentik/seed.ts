import { DAY_MS } from "./clock.ts";
import type { OutpostRecord } from "./records.ts";
import type { AuthentikState } from "./state.ts";

/**
 * What a fresh authentik 2026.8 install holds once its default blueprints have run: the admin
 * user in "authentik Admins", the bootstrap API token, the default flows, the two built-in
 * keypairs, the managed scope mappings and the embedded outpost.
 */
export const EMBEDDED_OUTPOST_MANAGED = "goauthentik.io/outposts/embedded";
export const EMBEDDED_OUTPOST_NAME = "authentik Embedded Outpost";

export interface SeededObjects {
  adminUserPk: number;
  adminToken: string;
}

export function seedDefaults(state: AuthentikState, adminTokenKey: string): SeededObjects {
  const admins = state.addGroup({ name: "authentik Admins", is_superuser: true });
  const admin = state.addUser({
    username: "akadmin",
    name: "authentik Default Admin",
    email: "root@localhost",
    groups: [admins.pk],
  });
  state.addToken({
    identifier: "authentik-bootstrap-token",
    key: adminTokenKey,
    user: admin.pk,
    intent: "api",
    expiring: false,
    description: "",
  });

  seedFlows(state);
  seedKeypairs(state);
  seedScopeMappings(state);

  const outpost = state.addOutpost({
    name: EMBEDDED_OUTPOST_NAME,
    type: "proxy",
    managed: EMBEDDED_OUTPOST_MANAGED,
    config: {
      authentik_host: "",
      authentik_host_insecure: false,
      authentik_host_browser: "",
      log_level: "info",
      object_naming_template: "ak-outpost-%(name)s",
      refresh_interval: "minutes=5",
      docker_network: null,
      docker_map_ports: true,
      docker_labels: null,
      container_image: null,
      kubernetes_replicas: 1,
      kubernetes_namespace: "authentik",
      kubernetes_ingress_annotations: {},
      kubernetes_ingress_secret_name: "authentik-outpost-tls",
      kubernetes_service_type: "ClusterIP",
      kubernetes_disabled_components: [],
      kubernetes_image_pull_secrets: [],
    },
  });
  addOutpostServiceAccount(state, outpost);
  return { adminUserPk: admin.pk, adminToken: adminTokenKey };
}

/** Every outpost has a service account and an API token the outpost itself uses. */
export function addOutpostServiceAccount(state: AuthentikState, outpost: OutpostRecord): void {
  const serviceAccount = state.addUser({
    username: `ak-outpost-${outpost.pk.replaceAll("-", "")}`,
    name: `Outpost ${outpost.name} Service-Account`,
    path: "goauthentik.io/outposts",
    type: "internal_service_account",
  });
  state.addToken({
    identifier: outpostTokenIdentifier(outpost.pk),
    user: serviceAccount.pk,
    intent: "api",
    expiring: false,
    managed: `goauthentik.io/outpost/${outpostTokenIdentifier(outpost.pk)}`,
  });
}

export function outpostTokenIdentifier(outpostPk: string): string {
  return `ak-outpost-${outpostPk}-api`;
}

function seedFlows(state: AuthentikState): void {
  state.addFlow({
    slug: "default-authentication-flow",
    name: "Welcome to authentik!",
    title: "Welcome to authentik!",
    designation: "authentication",
  });
  state.addFlow({
    slug: "default-invalidation-flow",
    name: "Logout",
    title: "Default Invalidation Flow",
    designation: "invalidation",
  });
  state.addFlow({
    slug: "default-provider-authorization-explicit-consent",
    name: "Authorize Application",
    title: "Redirecting to %(app)s",
    designation: "authorization",
    authentication: "require_authenticated",
  });
  state.addFlow({
    slug: "default-provider-authorization-implicit-consent",
    name: "Authorize Application",
    title: "Redirecting to %(app)s",
    designation: "authorization",
    authentication: "require_authenticated",
  });
  state.addFlow({
    slug: "default-provider-invalidation-flow",
    name: "Logged out of application",
    title: "You've logged out of %(app)s.",
    designation: "invalidation",
  });
  state.addFlow({
    slug: "default-user-settings-flow",
    name: "User settings",
    title: "Update your info",
    designation: "stage_configuration",
    authentication: "require_authenticated",
  });
}

function seedKeypairs(state: AuthentikState): void {
  state.addKeypair({
    name: "authentik Self-signed Certificate",
    cert_subject: "CN=authentik Self-signed Certificate,O=authentik,OU=Self-signed",
  });
  state.addKeypair({
    name: "authentik Internal JWT Certificate",
    managed: "goauthentik.io/crypto/jwt-managed",
    cert_subject: "CN=authentik Internal JWT Certificate,O=authentik,OU=Self-signed",
    cert_expiry: state.now() + 365 * DAY_MS,
  });
}

const OAUTH_SCOPES: { scope: string; name: string; description: string }[] = [
  { scope: "openid", name: "authentik default OAuth Mapping: OpenID 'openid'", description: "" },
  {
    scope: "email",
    name: "authentik default OAuth Mapping: OpenID 'email'",
    description: "Email address",
  },
  {
    scope: "profile",
    name: "authentik default OAuth Mapping: OpenID 'profile'",
    description: "General Profile Information",
  },
  {
    scope: "offline_access",
    name: "authentik default OAuth Mapping: OpenID 'offline_access'",
    description: "Access to request new tokens without interaction",
  },
  {
    scope: "entitlements",
    name: "authentik default OAuth Mapping: Application Entitlements",
    description: "Application entitlements",
  },
  {
    scope: "authentik_api",
    name: "authentik default OAuth Mapping: authentik API access",
    description: "authentik API Access on behalf of your user",
  },
];

function seedScopeMappings(state: AuthentikState): void {
  for (const { scope, name, description } of OAUTH_SCOPES) {
    state.addScopeMapping({
      name,
      scope_name: scope,
      description,
      managed: `goauthentik.io/providers/oauth2/scope-${scope}`,
      expression: "# This mapping is managed by authentik\nreturn {}",
    });
  }
  state.addScopeMapping({
    name: "authentik default OAuth Mapping: Proxy outpost",
    scope_name: "ak_proxy",
    managed: "goauthentik.io/providers/proxy/scope-proxy",
    expression: "# This mapping is used by the authentik proxy.\nreturn {}",
  });
}
