import { afterAll, describe, expect, it } from "vitest";
import { createTestPki, opensslSpkiPin } from "../../test/helpers/test-ca.ts";
import { malformedPins, SpkiPinMismatchError, spkiPinOfCertificate } from "./spki-pin.ts";

const pki = createTestPki();
afterAll(() => pki.cleanup());

describe("spkiPinOfCertificate", () => {
  it("equals the pin openssl computes, for every certificate", () => {
    for (const certificate of [pki.server, pki.ca, pki.selfSigned, pki.expired]) {
      expect(spkiPinOfCertificate(certificate.cert)).toBe(opensslSpkiPin(certificate.certPath));
    }
  });

  it("differs between keys", () => {
    expect(spkiPinOfCertificate(pki.server.cert)).not.toBe(spkiPinOfCertificate(pki.selfSigned.cert));
  });
});

describe("malformedPins", () => {
  it("accepts sha256/<base64 of 32 bytes> and reports anything else", () => {
    const good = spkiPinOfCertificate(pki.server.cert);
    expect(malformedPins([good])).toEqual([]);
    expect(malformedPins([good, "sha1/abc", good.slice(7), "sha256/short="])).toEqual([
      "sha1/abc",
      good.slice(7),
      "sha256/short=",
    ]);
  });
});

describe("SpkiPinMismatchError", () => {
  it("names the expected and the seen pins", () => {
    const error = new SpkiPinMismatchError(["sha256/A", "sha256/B"], "sha256/C");
    expect(error.message).toContain("sha256/A");
    expect(error.message).toContain("sha256/C");
    expect(error.code).toBe("ERR_AUTOPILOT_SPKI_PIN_MISMATCH");
  });
});
