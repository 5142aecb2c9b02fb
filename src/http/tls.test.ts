import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestPki, type TestCertificate } from "../../test/helpers/test-ca.ts";
import { type SimServer, startSimServer } from "../sandbox/common/sim-server.ts";
import { createHttpClient } from "./client.ts";
import { TlsError } from "./errors.ts";
import { PIN_COMMAND, spkiPinOfCertificate } from "./spki-pin.ts";
import { explainTlsFailure, tlsConnectOptions, trustedCertificates } from "./tls.ts";
import type { HttpClient, TlsOptions } from "./types.ts";

const pki = createTestPki();
const servers: SimServer[] = [];
const clients: HttpClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});
afterAll(() => pki.cleanup());

async function serve(certificate: TestCertificate): Promise<SimServer> {
  const server = await startSimServer({
    name: "tls",
    handler: () => ({ status: 200, body: { ok: true } }),
    tls: { cert: certificate.cert, key: certificate.key },
  });
  servers.push(server);
  return server;
}

function clientFor(url: string, tls?: TlsOptions): HttpClient {
  const client = createHttpClient(
    {
      target: "lab",
      baseUrl: url,
      ...(tls ? { tls } : {}),
      resilience: { retry: { maxAttempts: 3, initialDelayMs: 0, maxDelayMs: 0 } },
    },
    { sleep: async () => {} },
  );
  clients.push(client);
  return client;
}

async function failure(promise: Promise<unknown>): Promise<TlsError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TlsError);
  return error as TlsError;
}

describe("TLS trust", () => {
  it("refuses a self-signed certificate without tls.ca, once, with a hint to set it", async () => {
    const server = await serve(pki.selfSigned);
    const error = await failure(clientFor(server.url).request({ method: "GET", path: "/" }));
    expect(error.code).toBe("DEPTH_ZERO_SELF_SIGNED_CERT");
    expect(error.kind).toBe("unavailable");
    expect(error.retryable).toBe(false);
    expect(error.outcome).toBe("not-sent");
    expect(error.attempts).toBe(1);
    expect(error.hint).toContain("tls.ca");
    expect(server.log.all()).toHaveLength(0);
  });

  it("accepts a self-signed certificate given as tls.ca", async () => {
    const server = await serve(pki.selfSigned);
    const response = await clientFor(server.url, { ca: pki.selfSigned.cert }).request({
      method: "GET",
      path: "/",
    });
    expect(response.body).toEqual({ ok: true });
  });

  it("refuses a certificate from an unknown CA, and accepts it once the lab CA is trusted", async () => {
    const server = await serve(pki.server);
    const error = await failure(clientFor(server.url).request({ method: "GET", path: "/" }));
    expect(error.code).toBe("UNABLE_TO_VERIFY_LEAF_SIGNATURE");
    expect(error.hint).toContain("set tls.ca for lab to your lab CA's PEM file");
    const response = await clientFor(server.url, { ca: pki.ca.cert }).request({ method: "GET", path: "/" });
    expect(response.status).toBe(200);
  });

  it("refuses a certificate issued for another host name", async () => {
    const server = await serve(pki.wrongHost);
    const error = await failure(
      clientFor(server.url, { ca: pki.ca.cert }).request({ method: "GET", path: "/" }),
    );
    expect(error.code).toBe("ERR_TLS_CERT_ALTNAME_INVALID");
    expect(error.hint).toContain("subjectAltName");
  });

  it("refuses an expired certificate even from a trusted CA", async () => {
    const server = await serve(pki.expired);
    const error = await failure(
      clientFor(server.url, { ca: pki.ca.cert }).request({ method: "GET", path: "/" }),
    );
    expect(error.code).toBe("CERT_HAS_EXPIRED");
    expect(error.hint).toContain("has expired");
    expect(error.attempts).toBe(1);
  });

  it("names the failure when the server does not speak TLS at all", async () => {
    const plain = await startSimServer({ name: "plain", handler: () => ({ status: 200 }) });
    servers.push(plain);
    const error = await failure(
      clientFor(plain.url.replace("http:", "https:")).request({ method: "GET", path: "/" }),
    );
    expect(error.hint).toContain("http:// URL");
  });
});

describe("SPKI pins", () => {
  it("accepts a CA-signed certificate whose key matches a pin", async () => {
    const server = await serve(pki.server);
    const pins = [
      "sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
      spkiPinOfCertificate(pki.server.cert),
    ];
    const client = clientFor(server.url, { ca: pki.ca.cert, pins });
    for (let i = 0; i < 3; i++) expect((await client.request({ method: "GET", path: "/" })).status).toBe(200);
  });

  it("refuses the right CA with the wrong pin, naming the expected and the seen pin", async () => {
    const server = await serve(pki.server);
    const expected = spkiPinOfCertificate(pki.selfSigned.cert);
    const seen = spkiPinOfCertificate(pki.server.cert);
    const error = await failure(
      clientFor(server.url, { ca: pki.ca.cert, pins: [expected] }).request({ method: "GET", path: "/" }),
    );
    expect(error.code).toBe("ERR_AUTOPILOT_SPKI_PIN_MISMATCH");
    expect(error.message).toContain(expected);
    expect(error.message).toContain(seen);
    expect(error.hint).toContain(PIN_COMMAND);
    expect(error.attempts).toBe(1);
    expect(server.log.all()).toHaveLength(0);
  });

  it("never lets a pin replace chain verification", async () => {
    const server = await serve(pki.selfSigned);
    const error = await failure(
      clientFor(server.url, { pins: [spkiPinOfCertificate(pki.selfSigned.cert)] }).request({
        method: "GET",
        path: "/",
      }),
    );
    expect(error.code).toBe("DEPTH_ZERO_SELF_SIGNED_CERT");
  });

  it("checks the host name before the pin", async () => {
    const server = await serve(pki.wrongHost);
    const error = await failure(
      clientFor(server.url, { ca: pki.ca.cert, pins: [spkiPinOfCertificate(pki.wrongHost.cert)] }).request({
        method: "GET",
        path: "/",
      }),
    );
    expect(error.code).toBe("ERR_TLS_CERT_ALTNAME_INVALID");
  });

  it("rejects malformed pins when the client is built", () => {
    expect(() => tlsConnectOptions("lab", { pins: ["sha1/nope"] })).toThrow(/malformed/);
  });
});

describe("trusted certificates", () => {
  let systemCount = 0;
  beforeAll(() => {
    systemCount = trustedCertificates("lab").length;
  });

  it("keeps the system and bundled CAs when a lab CA is added", () => {
    const withLab = trustedCertificates("lab", pki.ca.cert);
    expect(systemCount).toBeGreaterThan(0);
    expect(withLab).toHaveLength(systemCount + 1);
    expect(withLab).toContain(pki.ca.cert.trim());
  });

  it("accepts a bundle of several certificates", () => {
    expect(trustedCertificates("lab", pki.ca.cert + pki.otherCa.cert)).toHaveLength(systemCount + 2);
  });

  it("refuses a tls.ca without a readable certificate", () => {
    expect(() => trustedCertificates("lab", "not a pem")).toThrow(/no PEM certificate/);
    const broken = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----";
    expect(() => trustedCertificates("lab", broken)).toThrow(/cannot be read/);
  });
});

describe("explainTlsFailure", () => {
  const context = { target: "lab", origin: "https://127.0.0.1:1", now: Date.parse("2026-01-01T00:00:00Z") };

  it("explains a certificate that is not valid yet", () => {
    const explanation = explainTlsFailure(
      Object.assign(new Error("x"), { code: "CERT_NOT_YET_VALID" }),
      context,
    );
    expect(explanation?.hint).toContain("is not valid yet");
    expect(explanation?.hint).toContain("2026-01-01T00:00:00.000Z");
  });

  it("leaves other errors alone", () => {
    expect(
      explainTlsFailure(Object.assign(new Error("x"), { code: "ECONNREFUSED" }), context),
    ).toBeUndefined();
    expect(explainTlsFailure("text", context)).toBeUndefined();
  });
});
