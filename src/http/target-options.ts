import { readFile } from "node:fs/promises";
import { AutopilotError } from "../errors/autopilot-error.ts";
import type { ResilienceOverrides, TargetHttpOptions } from "./types.ts";

/** A target's connection section as the config declares it (url, tls, http). */
export interface ConnectionSettings {
  url: string;
  tls?: { ca?: string; pin?: string | readonly string[] } | undefined;
  http?:
    | {
        timeout?: number;
        maxAttempts?: number;
        concurrency?: number;
        rateLimit?: number;
        breakerCooldown?: number;
      }
    | undefined;
}

/**
 * Turns a config connection section into HTTP client options: reads the CA file (relative to the
 * config), normalises pins and maps the resilience knobs. Authentication headers are the
 * caller's, because each target authenticates differently.
 */
export async function targetHttpOptions(
  target: string,
  settings: ConnectionSettings,
  resolvePath: (path: string) => string,
  headers?: TargetHttpOptions["headers"],
): Promise<TargetHttpOptions> {
  const tls: { ca?: string; pins?: readonly string[] } = {};
  if (settings.tls?.ca) {
    const file = resolvePath(settings.tls.ca);
    try {
      tls.ca = await readFile(file, "utf8");
    } catch (error) {
      throw new AutopilotError(
        "config",
        `targets.${target}.tls.ca: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? "error"})`,
        {
          hint: "point tls.ca at a readable PEM file with your lab's CA certificate",
          cause: error,
        },
      );
    }
  }
  if (settings.tls?.pin)
    tls.pins = typeof settings.tls.pin === "string" ? [settings.tls.pin] : settings.tls.pin;
  const resilience: ResilienceOverrides = {};
  const http = settings.http ?? {};
  if (http.timeout !== undefined) resilience.timeoutMs = http.timeout;
  if (http.concurrency !== undefined) resilience.concurrency = http.concurrency;
  if (http.rateLimit !== undefined)
    resilience.rateLimit = { perSecond: http.rateLimit, burst: Math.max(1, Math.ceil(http.rateLimit)) };
  if (http.breakerCooldown !== undefined) resilience.breaker = { halfOpenAfterMs: http.breakerCooldown };
  if (http.maxAttempts !== undefined) resilience.retry = { maxAttempts: http.maxAttempts };
  return {
    target,
    baseUrl: settings.url.replace(/\/+$/, ""),
    ...(tls.ca || tls.pins ? { tls } : {}),
    ...(Object.keys(resilience).length > 0 ? { resilience } : {}),
    ...(headers ? { headers } : {}),
  };
}
