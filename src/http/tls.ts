import { X509Certificate } from "node:crypto";
import {
  createSecureContext,
  getCACertificates,
  type PeerCertificate,
  type SecureContext,
  checkServerIdentity as verifyHostname,
} from "node:tls";
import { AutopilotError } from "../errors/autopilot-error.ts";
import { malformedPins, PIN_COMMAND, SpkiPinMismatchError, spkiPinOfCertificate } from "./spki-pin.ts";
import type { TlsOptions } from "./types.ts";

/**
 * Who a client trusts: the system's CAs, Node's bundled Mozilla CAs, and the target's own `ca`
 * (a lab CA or a self-signed server certificate). Verification is always on; there is no
 * option to turn it off, and `pins` can only narrow trust further.
 */

/** The options handed to undici's connector, i.e. to `tls.connect`. */
export interface TlsConnectOptions {
  /**
   * Built once per client: handing ~800 CA certificates to every `tls.connect` would parse
   * them again for each new connection.
   */
  secureContext: SecureContext;
  checkServerIdentity: (hostname: string, cert: PeerCertificate) => Error | undefined;
  /**
   * Node skips `checkServerIdentity` on a resumed TLS session; with pins we want the key
   * checked on every new connection, so session resumption is off for pinned targets.
   */
  maxCachedSessions?: number;
}

export function tlsConnectOptions(target: string, tls: TlsOptions = {}): TlsConnectOptions {
  const pins = [...(tls.pins ?? [])];
  const badPins = malformedPins(pins);
  if (badPins.length > 0) {
    throw new AutopilotError("config", `${target}: tls.pins has malformed entries: ${badPins.join(", ")}`, {
      hint: `each pin is "sha256/" followed by the base64 sha256 of the key; compute it with: ${PIN_COMMAND}`,
    });
  }
  return {
    secureContext: createSecureContext({ ca: trustedCertificates(target, tls.ca) }),
    checkServerIdentity: pins.length > 0 ? pinnedIdentityCheck(pins) : verifyHostname,
    ...(pins.length > 0 ? { maxCachedSessions: 0 } : {}),
  };
}

/**
 * Node replaces its default trust store when `ca` is given, so the system and bundled CAs are
 * added back explicitly: a target's lab CA must not stop public certificates from verifying.
 */
export function trustedCertificates(target: string, extraCa?: string): string[] {
  const anchors = [...getCACertificates("system"), ...getCACertificates("default")];
  if (extraCa !== undefined) anchors.push(...parsePemBundle(target, extraCa));
  return [...new Set(anchors.map((pem) => pem.trim()))];
}

function parsePemBundle(target: string, pem: string): string[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  const hint = `set tls.ca for ${target} to the PEM file of your lab CA (or of the server's self-signed certificate)`;
  if (blocks.length === 0) {
    throw new AutopilotError("config", `${target}: tls.ca holds no PEM certificate`, { hint });
  }
  for (const block of blocks) {
    try {
      new X509Certificate(block);
    } catch (error) {
      throw new AutopilotError("config", `${target}: tls.ca holds a certificate that cannot be read`, {
        hint,
        cause: error,
      });
    }
  }
  return blocks;
}

/**
 * Runs Node's own hostname check first and returns its error if any; only a certificate that
 * passed it (and, before it, chain verification) is compared with the pins.
 */
function pinnedIdentityCheck(pins: readonly string[]): TlsConnectOptions["checkServerIdentity"] {
  return (hostname, cert) => {
    const hostnameError = verifyHostname(hostname, cert);
    if (hostnameError) return hostnameError;
    const seen = spkiPinOfCertificate(cert.raw);
    return pins.includes(seen) ? undefined : new SpkiPinMismatchError(pins, seen);
  };
}

/** What a TLS failure means and what the user should do, by error code. */
export interface TlsFailureExplanation {
  code: string;
  reason: string;
  hint: string;
}

const UNTRUSTED_CODES = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "CERT_UNTRUSTED",
  "CERT_SIGNATURE_FAILURE",
  "INVALID_CA",
]);

export function explainTlsFailure(
  error: unknown,
  context: { target: string; origin: string; now: number },
): TlsFailureExplanation | undefined {
  const code =
    typeof (error as { code?: unknown })?.code === "string" ? (error as { code: string }).code : "";
  const { target, origin } = context;
  if (error instanceof SpkiPinMismatchError) {
    return {
      code,
      reason: `the server's key does not match tls.pins: expected ${error.expected.join(" or ")}, saw ${error.seen}`,
      hint: `if ${origin} changed its key on purpose, compute the new pin with \`${PIN_COMMAND}\` and update tls.pins for ${target}`,
    };
  }
  if (UNTRUSTED_CODES.has(code)) {
    return {
      code,
      reason: `the certificate is not signed by a trusted CA (${code})`,
      hint: `set tls.ca for ${target} to your lab CA's PEM file`,
    };
  }
  if (code === "DEPTH_ZERO_SELF_SIGNED_CERT") {
    return {
      code,
      reason: "the server presents a self-signed certificate that is not trusted",
      hint: `set tls.ca for ${target} to that certificate's PEM file, or to your lab CA's PEM file`,
    };
  }
  if (code === "CERT_HAS_EXPIRED" || code === "CERT_NOT_YET_VALID") {
    const when = code === "CERT_HAS_EXPIRED" ? "has expired" : "is not valid yet";
    return {
      code,
      reason: `the certificate ${when}`,
      hint: `the certificate of ${origin} ${when} (this machine's clock reads ${new Date(context.now).toISOString()}); renew it, or fix the clock`,
    };
  }
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") {
    return {
      code,
      reason: `the certificate is not issued for this host name (${describe(error)})`,
      hint: `use a URL for ${target} with a name the certificate lists, or reissue the certificate with ${new URL(origin).hostname} in its subjectAltName`,
    };
  }
  if (code === "EPROTO" || code.startsWith("ERR_SSL_")) {
    return {
      code,
      reason: `the TLS handshake failed (${describe(error)})`,
      hint: `check that ${origin} serves HTTPS on that port; if it serves plain HTTP, use an http:// URL for ${target}`,
    };
  }
  return undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
