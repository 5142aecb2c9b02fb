import { randomInt } from "node:crypto";
import { crc32 } from "node:zlib";

/**
 * Service-account token keys as Grafana's satokengen makes them: `glsa_` + 32 alphanumerics +
 * `_` + the CRC32 of the secret as 8 hex digits. A key whose checksum does not match is rejected
 * as invalid before any lookup, like the real server does.
 */
const ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const KEY_PATTERN = /^glsa_([A-Za-z0-9]{32})_([0-9a-f]{8})$/;

export function generateTokenKey(): string {
  let secret = "";
  for (let i = 0; i < 32; i++) secret += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return `glsa_${secret}_${checksum(secret)}`;
}

export function isWellFormedTokenKey(key: string): boolean {
  const match = KEY_PATTERN.exec(key);
  return match !== null && checksum(match[1] as string) === match[2];
}

function checksum(secret: string): string {
  return crc32(secret).toString(16).padStart(8, "0");
}
