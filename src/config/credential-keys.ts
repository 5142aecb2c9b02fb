/**
 * Whether a free-form key (a widget option, a contact-point setting, a label suffix) names a
 * credential. Decided by the key's last word, so `apiKey`, `client_secret` and `authToken` are
 * credentials while `tokenUrl` or `keyId` are not; a few glued spellings are matched as suffixes.
 */
const CREDENTIAL_WORDS = new Set([
  "password",
  "passwd",
  "pass",
  "pwd",
  "passphrase",
  "secret",
  "token",
  "key",
  "apikey",
  "authtoken",
  "clientsecret",
  "credential",
  "credentials",
  "bearer",
]);

const CREDENTIAL_SUFFIXES = [
  "password",
  "passwd",
  "secret",
  "token",
  "apikey",
  "accesskey",
  "privatekey",
  "secretkey",
];

export function isCredentialKey(key: string): boolean {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== "");
  const last = words.at(-1);
  if (last === undefined) return false;
  return CREDENTIAL_WORDS.has(last) || CREDENTIAL_SUFFIXES.some((suffix) => last.endsWith(suffix));
}
