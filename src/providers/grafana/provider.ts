import type { Provider } from "../../engine/resource-kind.ts";
import { alertRuleKind } from "./kinds/alert-rules.ts";
import { contactPointKind } from "./kinds/contact-points.ts";
import { dashboardKind } from "./kinds/dashboards.ts";
import { datasourceKind } from "./kinds/datasources.ts";
import { folderKind } from "./kinds/folders.ts";
import { notificationPolicyKind } from "./kinds/notification-policy.ts";
import { serviceAccountTokenKind } from "./kinds/service-account-tokens.ts";
import { serviceAccountKind } from "./kinds/service-accounts.ts";
import { ssoSettingsKind } from "./kinds/sso-settings.ts";
import { teamKind } from "./kinds/teams.ts";
import { type GrafanaProviderOptions, type GrafanaSession, openGrafanaSession } from "./session.ts";

/** Grafana as a target: its kinds, and a session opened through our HTTP clients. */
export function grafanaProvider(options: GrafanaProviderOptions): Provider<GrafanaSession> {
  return {
    target: "grafana",
    kinds: [
      datasourceKind,
      folderKind,
      dashboardKind,
      serviceAccountKind,
      serviceAccountTokenKind,
      teamKind,
      contactPointKind,
      notificationPolicyKind,
      alertRuleKind,
      ssoSettingsKind,
    ],
    connect: () => openGrafanaSession(options),
    close: async () => {
      await options.http.close();
      if (options.admin && options.admin !== options.http) await options.admin.close();
    },
  };
}
