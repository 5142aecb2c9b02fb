import { randomInt, randomUUID } from "node:crypto";

const ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** authentik's generate_id: letters and digits from a CSPRNG. */
export function generateId(length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return out;
}

export function newUuid(): string {
  return randomUUID();
}

/** Token keys are 60 characters by default (default_token_length). */
export const TOKEN_KEY_LENGTH = 60;
/** OAuth2 client ids are 40 characters, secrets 128. */
export const CLIENT_ID_LENGTH = 40;
export const CLIENT_SECRET_LENGTH = 128;

const UUID_TEXT =
  /^(?:urn:uuid:)?\{?([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})\}?$/i;

/** Python's uuid.UUID() accepts several spellings; all name the same canonical UUID. */
export function canonicalUuid(text: string): string | undefined {
  const match = UUID_TEXT.exec(text);
  return match ? match.slice(1, 6).join("-").toLowerCase() : undefined;
}
