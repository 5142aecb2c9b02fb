import { readFile } from "node:fs/promises";
import { isKnownAfterApply } from "../../engine/field-diff.ts";
import { AutopilotError } from "../../errors/autopilot-error.ts";
import { writeFileAtomic } from "../../secrets/atomic-file.ts";

/**
 * The fallback for a Grafana without the SSO settings API (before 11) or one that refuses it
 * (no server-admin login configured): the same generic OAuth settings as Grafana's environment
 * variables, in a file to hand to Grafana's container (`env_file:` in Compose), which Grafana
 * reads at start-up. It holds the client secret, so it is written atomically with mode 0600.
 * Format: one KEY=value per line, taken literally (Docker's env-file rules): no quoting, and a
 * value with a line break is refused rather than allowed to inject another variable.
 */
const PREFIX = "GF_AUTH_GENERIC_OAUTH_";
/** Settings that live outside [auth.generic_oauth]. */
const SECTION_OVERRIDES: Readonly<Record<string, string>> = {
  signoutRedirectUrl: "GF_AUTH_SIGNOUT_REDIRECT_URL",
};
const HEADER = [
  "# Written by Homelab Autopilot: Grafana's generic OAuth (Authentik) settings.",
  "# Give this file to Grafana as an env file and restart Grafana. It holds a secret: keep it mode 0600.",
];

/** `clientId` → GF_AUTH_GENERIC_OAUTH_CLIENT_ID. */
export function envName(setting: string): string {
  return SECTION_OVERRIDES[setting] ?? `${PREFIX}${setting.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

export const CLIENT_SECRET_ENV = envName("clientSecret");

/** The variables for a set of settings; values not known yet (plan time) stay as they are. */
export function envValues(settings: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(settings)) {
    if (value === undefined || value === null) continue;
    values[envName(key)] = isKnownAfterApply(value) ? value : String(value);
  }
  return values;
}

export function renderEnvFile(values: Readonly<Record<string, string>>): string {
  const lines = Object.keys(values)
    .sort()
    .map((key) => {
      const value = values[key] as string;
      if (/[\r\n\0]/.test(value)) {
        throw new AutopilotError(
          "invalid",
          `${key} holds a line break or NUL, which an env file cannot carry`,
          {
            hint: "remove the line break from that setting",
          },
        );
      }
      return `${key}=${value}`;
    });
  return `${[...HEADER, ...lines].join("\n")}\n`;
}

export function parseEnvFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const trimmed = line.replace(/\r$/, "");
    if (trimmed.trim() === "" || trimmed.trimStart().startsWith("#")) continue;
    const equals = trimmed.indexOf("=");
    if (equals <= 0) continue;
    values[trimmed.slice(0, equals).trim()] = trimmed.slice(equals + 1);
  }
  return values;
}

/** The file's variables, or undefined when it does not exist yet. */
export async function readEnvFile(file: string): Promise<Record<string, string> | undefined> {
  try {
    return parseEnvFile(await readFile(file, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

export async function writeEnvFile(file: string, values: Readonly<Record<string, string>>): Promise<void> {
  await writeFileAtomic(file, renderEnvFile(values), 0o600);
}
