import { z } from "zod";
import { alertingSchema } from "./alerting-schema.ts";
import { email, jsonFilePath, name, pluginType, title, uid, username } from "./fields.ts";
import { plainSettings } from "./record-fields.ts";
import { secretRefRecord } from "./secret-fields.ts";
import { url } from "./url-field.ts";

export const datasourceSchema = z
  .strictObject({
    name: name.describe("Datasource name."),
    uid: uid
      .optional()
      .describe("Stable uid; dashboards refer to datasources by it. Derived from the name when unset."),
    type: pluginType.describe("Plugin id: prometheus, loki, influxdb, postgres..."),
    url: url.describe("Address Grafana's backend uses to reach the datasource."),
    access: z
      .enum(["proxy", "direct"])
      .optional()
      .describe("proxy: Grafana's server connects (recommended)."),
    isDefault: z.boolean().optional().describe("The default datasource; at most one."),
    jsonData: plainSettings.optional().describe("Plugin settings (not secret)."),
    secureJsonData: secretRefRecord
      .optional()
      .describe("Plugin secrets (passwords, tokens), each a secret reference."),
  })
  .describe("A Grafana datasource.");

export const folderSchema = z
  .strictObject({
    title: title(190).describe("Folder title."),
    uid: uid.optional().describe("Stable uid; derived from the title when unset."),
    parent: uid.optional().describe("uid of the parent folder (nested folders)."),
  })
  .describe("A Grafana folder.");

export const dashboardSchema = z
  .strictObject({
    file: jsonFilePath.describe("Dashboard JSON model, relative to the config file's directory."),
    folder: title(190).optional().describe("Title of the folder to put it in; General when unset."),
    uid: uid.optional().describe("Overrides the uid inside the JSON."),
  })
  .describe("A dashboard provisioned from a JSON file.");

export const teamSchema = z
  .strictObject({
    name: name.describe("Team name."),
    email: email.optional().describe("Team email."),
    members: z.array(username).optional().describe("Logins of the members."),
  })
  .describe("A Grafana team.");

export const serviceAccountSchema = z
  .strictObject({
    name: name.describe("Service account name."),
    role: z.enum(["Viewer", "Editor", "Admin"]).describe("Organisation role."),
  })
  .describe("A Grafana service account (tokens are created with `autopilot secrets`).");

export const monitoringSchema = z
  .strictObject({
    datasources: z.array(datasourceSchema).default([]).describe("Datasources."),
    folders: z.array(folderSchema).optional().describe("Folders."),
    dashboards: z.array(dashboardSchema).default([]).describe("Dashboards."),
    teams: z.array(teamSchema).optional().describe("Teams."),
    serviceAccounts: z.array(serviceAccountSchema).optional().describe("Service accounts."),
    alerts: alertingSchema.optional(),
  })
  .describe("What Grafana should contain.");
