import { randomBytes } from "node:crypto";
import { redactor } from "./redactor.ts";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/**
 * A random secret from the CSPRNG, letters and digits only (safe in URLs, headers, YAML and
 * env files). Rejection sampling keeps every character equally likely. Registered with the
 * redactor before anyone else sees it.
 */
export function generateSecretValue(length: number): string {
  if (!Number.isInteger(length) || length < 16)
    throw new RangeError("generated secrets have at least 16 characters");
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += ALPHABET[byte % 62];
    }
  }
  redactor.register(out);
  return out;
}
