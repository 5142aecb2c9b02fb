import { z } from "zod";
import { httpOptionsSchema, tlsSchema } from "./connection-schema.ts";
import { loginName, path } from "./fields.ts";
import { dockerEndpoint } from "./network-fields.ts";
import { secretRef } from "./secret-fields.ts";
import { url } from "./url-field.ts";

export const DEFAULT_DOCKER_ENDPOINT = "unix:///var/run/docker.sock";

const baseUrl = (what: string, example: string) =>
  url.describe(`Base URL of ${what} without an API path, e.g. ${example}.`);

export const authentikTargetSchema = z
  .strictObject({
    url: baseUrl("Authentik", "https://auth.lab.example.com (not …/api/v3)"),
    token: secretRef.describe(
      "API token of an Authentik service account allowed to manage providers, applications, users and groups.",
    ),
    tls: tlsSchema.optional(),
    http: httpOptionsSchema.optional(),
  })
  .describe("Authentik, the single sign-on provider.");

export const grafanaTargetSchema = z
  .strictObject({
    url: baseUrl("Grafana", "https://grafana.lab.example.com"),
    token: secretRef.describe("Service account token (Admin role) for the Grafana HTTP API."),
    basicAuth: z
      .strictObject({
        username: loginName.describe("Grafana server admin login."),
        password: secretRef.describe("Password of that login."),
      })
      .optional()
      .describe("Server-admin login for the few APIs a token cannot use (SSO settings)."),
    orgId: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe("Organisation to manage; the token's organisation when unset."),
    tls: tlsSchema.optional(),
    http: httpOptionsSchema.optional(),
  })
  .describe("Grafana, for datasources, dashboards, folders, teams and alerting.");

export const homepageTargetSchema = z
  .strictObject({
    configDir: path.describe("Homepage's configuration directory (the one holding services.yaml)."),
  })
  .describe("Homepage, the dashboard; Autopilot writes its services.yaml.");

export const dockerTargetSchema = z
  .strictObject({
    endpoints: z
      .array(dockerEndpoint)
      .min(1)
      .default([DEFAULT_DOCKER_ENDPOINT])
      .describe("Docker Engine endpoints to discover and heal containers on."),
    tls: z
      .strictObject({
        ca: path.describe("CA certificate of the Docker daemon."),
        cert: path.describe("Client certificate."),
        key: path.describe("Client private key (keep it mode 0600)."),
      })
      .optional()
      .describe("Mutual TLS for tcp:// endpoints."),
  })
  .describe("Docker Engine: container discovery (labels) and self-healing.");

export const prometheusTargetSchema = z
  .strictObject({
    url: baseUrl("Prometheus", "http://127.0.0.1:9090"),
    tls: tlsSchema.optional(),
    http: httpOptionsSchema.optional(),
  })
  .describe("Prometheus, queried for health and alert state.");

export const targetsSchema = z
  .strictObject({
    authentik: authentikTargetSchema.optional(),
    grafana: grafanaTargetSchema.optional(),
    homepage: homepageTargetSchema.optional(),
    docker: dockerTargetSchema.optional(),
    prometheus: prometheusTargetSchema.optional(),
  })
  .describe(
    "The systems Autopilot manages or reads. Each is optional; a section that is absent is not touched.",
  );
