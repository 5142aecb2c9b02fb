import { isIP } from "node:net";
import { textField } from "./fields.ts";

const LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
const DNS_NAME = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`);
const HOST_PORT = /^(\[[^\]]{1,64}\]|[^:[\]]{1,253}):(\d{1,5})$/;

/** Lowercase DNS name such as lab.example.com (no trailing dot). */
export function isDnsName(value: string): boolean {
  return value.length <= 253 && DNS_NAME.test(value);
}

function isHost(host: string): boolean {
  if (host.startsWith("[")) return isIP(host.slice(1, -1)) === 6;
  return isIP(host) === 4 || isDnsName(host.toLowerCase());
}

/** `host:port` with an IPv4 address, a host name or a bracketed IPv6 address, port 1-65535. */
export function parseHostPort(value: string): { host: string; port: number } | undefined {
  const match = HOST_PORT.exec(value);
  if (!match) return undefined;
  const [, host = "", portText = ""] = match;
  const port = Number(portText);
  if (!isHost(host) || port < 1 || port > 65_535) return undefined;
  return { host: host.startsWith("[") ? host.slice(1, -1) : host, port };
}

export const dnsName = textField(
  { type: "domain", expected: "a lowercase DNS name like lab.example.com" },
  [
    {
      rule: "invalid-domain",
      test: isDnsName,
      predicate:
        "must be a lowercase DNS name like lab.example.com (labels of a-z, 0-9 and '-', at most 253 characters)",
    },
  ],
  { pattern: DNS_NAME.source, maxLength: 253 },
);

export const listenAddress = textField(
  { type: "host:port", expected: "an address like 127.0.0.1:8300 or [::1]:8300" },
  [
    {
      rule: "invalid-listen-address",
      test: (value) => parseHostPort(value) !== undefined,
      predicate: "must be host:port like 127.0.0.1:8300 (IPv6 as [::1]:8300, port 1-65535)",
    },
  ],
);

/** A Docker Engine endpoint: a unix socket by absolute path, or tcp://host:port. */
export function isDockerEndpoint(value: string): boolean {
  if (value.startsWith("unix:///")) {
    const socketPath = value.slice("unix://".length);
    return socketPath.length > 1 && !/[\s\0]/.test(socketPath);
  }
  if (value.startsWith("tcp://")) return parseHostPort(value.slice("tcp://".length)) !== undefined;
  return false;
}

export const dockerEndpoint = textField(
  { type: "endpoint", expected: "a Docker endpoint like unix:///var/run/docker.sock or tcp://host:2376" },
  [
    {
      rule: "invalid-docker-endpoint",
      test: isDockerEndpoint,
      predicate: "must be unix:///absolute/path.sock or tcp://host:port",
    },
  ],
  { pattern: "^(unix:///|tcp://)" },
);

const PIN = /^sha256\/[A-Za-z0-9+/]{43}=$/;

/** An SPKI pin as curl and HPKP write it: sha256/ and the base64 of the 32-byte digest. */
export function isSpkiPin(value: string): boolean {
  return PIN.test(value) && Buffer.from(value.slice("sha256/".length), "base64").length === 32;
}

export const spkiPin = textField(
  { type: "pin", expected: "an SPKI pin like sha256/<base64 of 32 bytes>" },
  [
    {
      rule: "invalid-pin",
      test: isSpkiPin,
      predicate:
        "must be sha256/ followed by the base64 SHA-256 of the certificate's public key (44 characters)",
      hint: "openssl x509 -in cert.pem -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64",
    },
  ],
  { pattern: PIN.source },
);
