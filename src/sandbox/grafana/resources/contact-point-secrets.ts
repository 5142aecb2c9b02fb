/**
 * Which settings of each contact point type are secrets (Grafana's channels_config secure
 * fields): they are stored encrypted, shown as "[REDACTED]" on read, and a PUT that sends
 * "[REDACTED]" back keeps the stored value.
 */
export const REDACTED = "[REDACTED]";

const SECRET_KEYS: Readonly<Record<string, readonly string[]>> = {
  alertmanager: ["basicAuthPassword"],
  dingding: ["url"],
  discord: ["url"],
  email: [],
  googlechat: ["url"],
  kafka: ["password"],
  line: ["token"],
  opsgenie: ["apiKey"],
  pagerduty: ["integrationKey"],
  pushover: ["apiToken", "userKey"],
  sensugo: ["apikey"],
  slack: ["url", "token"],
  teams: ["url"],
  telegram: ["bottoken"],
  threema: ["api_secret"],
  victorops: ["url"],
  webhook: ["password", "authorization_credentials"],
  wecom: ["url", "secret"],
};

export function secretKeysFor(type: string): readonly string[] {
  return SECRET_KEYS[type] ?? [];
}

/** Splits settings into plain settings and secrets; "[REDACTED]" resolves to the stored secret. */
export function splitSecrets(
  type: string,
  settings: Record<string, unknown>,
  stored: Record<string, string> = {},
): { settings: Record<string, unknown>; secureSettings: Record<string, string> } {
  const plain = { ...settings };
  const secureSettings: Record<string, string> = {};
  for (const key of secretKeysFor(type)) {
    const value = plain[key];
    delete plain[key];
    if (value === REDACTED && stored[key] !== undefined) secureSettings[key] = stored[key];
    else if (typeof value === "string" && value !== "") secureSettings[key] = value;
  }
  return { settings: plain, secureSettings };
}

/** Settings as GET shows them: every non-empty secret masked. */
export function redactedSettings(
  settings: Record<string, unknown>,
  secureSettings: Record<string, string>,
): Record<string, unknown> {
  const shown = { ...settings };
  for (const [key, value] of Object.entries(secureSettings)) if (value !== "") shown[key] = REDACTED;
  return shown;
}

/** The integration's own validation, as the notifier factories check it (messages partly guessed). */
export function integrationProblem(
  type: string,
  settings: Record<string, unknown>,
  secure: Record<string, string>,
): string | undefined {
  const has = (key: string) =>
    (typeof settings[key] === "string" && settings[key] !== "") || secure[key] !== undefined;
  if (["webhook", "discord", "googlechat", "teams", "victorops", "dingding"].includes(type) && !has("url")) {
    return "required field 'url' is not specified";
  }
  if (type === "slack" && !has("url") && !has("token"))
    return "token must be specified when using the Slack chat API";
  if (type === "email" && !has("addresses")) return "could not find addresses in settings";
  return undefined;
}
