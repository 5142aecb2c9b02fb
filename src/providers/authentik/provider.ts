import type { Provider } from "../../engine/resource-kind.ts";
import type { HttpClient } from "../../http/types.ts";
import { applicationKind } from "./kinds/applications.ts";
import { groupKind } from "./kinds/groups.ts";
import { oauth2ProviderKind } from "./kinds/oauth2-providers.ts";
import { outpostBindingKind } from "./kinds/outpost-bindings.ts";
import { proxyProviderKind } from "./kinds/proxy-providers.ts";
import { tokenKind } from "./kinds/tokens.ts";
import { userKind } from "./kinds/users.ts";
import { type AuthentikSession, openAuthentikSession } from "./session.ts";

/** Authentik as a target: its kinds, and a session opened through our HTTP client. */
export function authentikProvider(http: HttpClient): Provider<AuthentikSession> {
  return {
    target: "authentik",
    kinds: [
      groupKind,
      userKind,
      oauth2ProviderKind,
      proxyProviderKind,
      applicationKind,
      outpostBindingKind,
      tokenKind,
    ],
    connect: () => openAuthentikSession(http),
    close: () => http.close(),
  };
}
