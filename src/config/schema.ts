import { z } from "zod";
import { alertChannelsSchema, daemonSchema } from "./daemon-schema.ts";
import { environmentName, path } from "./fields.ts";
import { identitySchema } from "./identity-schema.ts";
import { monitoringSchema } from "./monitoring-schema.ts";
import { dnsName } from "./network-fields.ts";
import { deepPartial } from "./overlay-schema.ts";
import { policiesSchema } from "./policies-schema.ts";
import { secretsSchema } from "./secrets-schema.ts";
import { servicesSchema } from "./services-schema.ts";
import { targetsSchema } from "./targets-schema.ts";

/**
 * The schema of homelab.yaml: the one source of truth for the loader, the JSON Schema in
 * schema/homelab.schema.json and docs/config-reference.md. Every object is strict, so a typo
 * in a key is an error instead of a silently ignored setting.
 */

export const API_VERSION = "autopilot/v1";
export const DEFAULT_STATE_PATH = "./.autopilot/state.db";

export const stateSchema = z
  .strictObject({
    path: path
      .default(DEFAULT_STATE_PATH)
      .describe(
        "SQLite file with ownership records and the audit log, relative to the config file's directory.",
      ),
  })
  .describe("Local state.");

/** Everything an environment may override: the whole file except apiVersion and environments. */
const configShape = {
  domain: dnsName.describe("The lab's base domain, e.g. lab.example.com."),
  secrets: secretsSchema.prefault({}),
  state: stateSchema.prefault({}),
  targets: targetsSchema.prefault({}),
  services: servicesSchema,
  identity: identitySchema.optional(),
  monitoring: monitoringSchema.optional(),
  policies: policiesSchema.prefault({}),
  daemon: daemonSchema.optional(),
  alerts: alertChannelsSchema.optional(),
};

export const environmentOverlaySchema = deepPartial(z.strictObject(configShape)).describe(
  "Overrides merged over the base when this environment is selected: mappings merge key by key, lists of items with a name (or username) merge item by item, other values replace, null removes.",
);

export const homelabSchema = z
  .strictObject({
    apiVersion: z.literal(API_VERSION).describe("Version of this file format; always autopilot/v1."),
    ...configShape,
    environments: z
      .record(environmentName, environmentOverlaySchema.nullable())
      .optional()
      .describe("Named overlays (staging, prod...) selected with --env; each may override any key above."),
  })
  .describe("Homelab Autopilot configuration (homelab.yaml).");

/** The validated config: defaults filled, durations in milliseconds, service slugs derived. */
export type HomelabConfig = z.output<typeof homelabSchema>;
/** What a person writes: the file before defaults and transforms. */
export type HomelabConfigInput = z.input<typeof homelabSchema>;
export type ServiceConfig = HomelabConfig["services"][number];
