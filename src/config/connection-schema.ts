import { z } from "zod";
import { duration } from "./duration-field.ts";
import { path } from "./fields.ts";
import { spkiPin } from "./network-fields.ts";

/**
 * How Autopilot trusts a target. There is deliberately no option to turn verification off: a
 * self-signed lab gives its CA file or pins the server's public key.
 */
export const tlsSchema = z
  .strictObject({
    ca: path.optional().describe("PEM file with the CA certificate(s) to trust for this target."),
    pin: z
      .union([spkiPin, z.array(spkiPin).min(1)])
      .optional()
      .describe(
        "SPKI pin(s) of the server certificate's public key, `sha256/<base64>`; the connection is accepted only when one matches.",
      ),
  })
  .describe(
    "TLS trust for a self-signed target: a CA bundle and/or public-key pins. Verification is always on.",
  );

export const httpOptionsSchema = z
  .strictObject({
    timeout: duration.optional().describe("Timeout of one request, e.g. 10s."),
    maxAttempts: z
      .number()
      .int()
      .min(1)
      .max(10)
      .optional()
      .describe("Attempts per request including the first (retries only where safe)."),
    concurrency: z
      .number()
      .int()
      .min(1)
      .max(64)
      .optional()
      .describe("Requests in flight at once to this target."),
    rateLimit: z
      .number()
      .positive()
      .max(10_000)
      .optional()
      .describe("Requests per second at most (token bucket)."),
    breakerCooldown: duration
      .optional()
      .describe(
        "After the circuit breaker opens (10 failures in a row), how long to wait before trying the target again (default 30s).",
      ),
  })
  .describe("Resilience settings for this target's HTTP client; unset values use the built-in defaults.");
