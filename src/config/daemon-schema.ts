import { z } from "zod";
import { duration } from "./duration-field.ts";
import { name } from "./fields.ts";
import { listenAddress } from "./network-fields.ts";
import { secretRef, urlOrSecretRef } from "./secret-fields.ts";

export const DEFAULT_LISTEN = "127.0.0.1:8300";

export const daemonSchema = z
  .strictObject({
    listen: listenAddress.default(DEFAULT_LISTEN).describe("Address of the status page, API and /metrics."),
    token: secretRef.describe("Bearer token required by every route except /healthz and /readyz."),
    reconcileInterval: duration.prefault("60s").describe("Time between two reconcile passes."),
    publicMetrics: z
      .boolean()
      .default(false)
      .describe("Serve /metrics without the token (for a local Prometheus)."),
  })
  .describe("The `autopilot run` daemon.");

export const alertChannelSchema = z
  .strictObject({
    name: name.optional().describe("Name shown in logs; also the key environments merge by."),
    type: z
      .enum(["webhook", "ntfy", "gotify", "slack", "discord", "alertmanager"])
      .describe("Kind of receiver."),
    url: urlOrSecretRef.describe(
      "Where to send; a secret reference when the URL itself carries a token (ntfy topic, Slack webhook).",
    ),
    token: secretRef.optional().describe("Token sent with each notification (gotify, ntfy, webhook bearer)."),
    minSeverity: z
      .enum(["info", "warning", "critical"])
      .optional()
      .describe("Only send alerts of this severity or higher."),
  })
  .describe("Where Autopilot itself sends its alerts (drift, exhausted restart budget, failed apply).");

export const alertChannelsSchema = z.array(alertChannelSchema).describe("Autopilot's own alert receivers.");
