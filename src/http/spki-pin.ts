import { createHash, X509Certificate } from "node:crypto";

/**
 * SPKI pins (`sha256/<base64>`, the HPKP and curl `--pinnedpubkey` format): the sha256 of the
 * certificate's SubjectPublicKeyInfo. Pinning the key rather than the certificate survives
 * renewals that keep the key. A pin only narrows trust: the chain is always verified first.
 */
export const PIN_PREFIX = "sha256/";

/** How a user computes the pin of a certificate file, quoted in errors and by `doctor`. */
export const PIN_COMMAND =
  "openssl x509 -in cert.pem -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64";

const PIN_PATTERN = /^sha256\/[A-Za-z0-9+/]{43}=$/;

/** The pin of a DER SubjectPublicKeyInfo. */
export function spkiPinOfDer(spki: Uint8Array): string {
  return PIN_PREFIX + createHash("sha256").update(spki).digest("base64");
}

/**
 * The pin of a certificate: PEM text (the first certificate in it), for `doctor` to show and
 * users to copy, or DER bytes (a peer certificate's `raw`).
 *
 * Computed from the whole certificate rather than from a peer certificate's `pubkey`: for EC
 * keys Node puts the bare curve point there, not the SubjectPublicKeyInfo that pins hash.
 */
export function spkiPinOfCertificate(certificate: string | Buffer): string {
  const spki = new X509Certificate(certificate).publicKey.export({ type: "spki", format: "der" });
  return spkiPinOfDer(spki);
}

/** The pins that are not well-formed (wrong prefix, not the base64 of 32 bytes). */
export function malformedPins(pins: readonly string[]): string[] {
  return pins.filter((pin) => !PIN_PATTERN.test(pin));
}

/**
 * Returned from `checkServerIdentity` when the verified leaf's key matches no pin. A plain
 * Error (Node expects one there); the client turns it into a `TlsError` with the call's context.
 */
export class SpkiPinMismatchError extends Error {
  readonly code = "ERR_AUTOPILOT_SPKI_PIN_MISMATCH";
  readonly expected: readonly string[];
  readonly seen: string;

  constructor(expected: readonly string[], seen: string) {
    super(`the server's public key ${seen} matches none of the configured pins (${expected.join(", ")})`);
    this.name = "SpkiPinMismatchError";
    this.expected = expected;
    this.seen = seen;
  }
}
