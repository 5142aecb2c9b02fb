import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * A throw-away PKI for TLS tests, generated with the `openssl` CLI on every run so no key or
 * certificate is ever committed and none outlives the run. EC P-256 keys keep it fast.
 *
 * - `ca`: a lab CA (what a user would give as `tls.ca`)
 * - `server`: a leaf for 127.0.0.1 and localhost signed by the CA
 * - `wrongHost`: a leaf signed by the CA for a name the tests never connect to
 * - `expired`: a leaf for 127.0.0.1 signed by the CA, valid only on 1–2 January 2020
 * - `selfSigned`: a standalone self-signed certificate for 127.0.0.1 (no CA at all)
 * - `otherCa`: a second, unrelated CA
 */
export interface TestCertificate {
  cert: string;
  key: string;
  certPath: string;
  keyPath: string;
}

export interface TestPki {
  dir: string;
  ca: TestCertificate;
  otherCa: TestCertificate;
  server: TestCertificate;
  wrongHost: TestCertificate;
  expired: TestCertificate;
  selfSigned: TestCertificate;
  /** Removes the temp directory. */
  cleanup(): void;
}

const LOOPBACK_NAMES = "IP:127.0.0.1,DNS:localhost";

export function createTestPki(): TestPki {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "autopilot-test-ca-"));
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });

  const selfSignedCert = (name: string, subject: string, extensions: string[], days = 2): void => {
    openssl(
      "req",
      "-x509",
      ...ecKey(file(`${name}.key`)),
      "-out",
      file(`${name}.pem`),
      "-days",
      String(days),
      "-subj",
      subject,
      ...extensions.flatMap((extension) => ["-addext", extension]),
    );
  };

  // `openssl ca` rather than `openssl x509 -req`: it is the one OpenSSL 3.0 command that accepts
  // explicit validity dates, which the expired certificate needs.
  fs.writeFileSync(file("index.txt"), "");
  fs.writeFileSync(file("serial"), "01\n");
  fs.writeFileSync(file("ca.cnf"), caConfig());
  const signedCert = (name: string, subjectAltName: string, dates?: { start: string; end: string }): void => {
    openssl(
      "req",
      "-new",
      ...ecKey(file(`${name}.key`)),
      "-out",
      file(`${name}.csr`),
      "-subj",
      `/CN=${name}`,
    );
    fs.writeFileSync(
      file(`${name}.ext.cnf`),
      `[leaf]\nbasicConstraints = CA:FALSE\nsubjectAltName = ${subjectAltName}\n`,
    );
    openssl(
      "ca",
      "-batch",
      "-notext",
      "-config",
      file("ca.cnf"),
      "-cert",
      file("ca.pem"),
      "-keyfile",
      file("ca.key"),
      "-in",
      file(`${name}.csr`),
      "-out",
      file(`${name}.pem`),
      "-extfile",
      file(`${name}.ext.cnf`),
      "-extensions",
      "leaf",
      ...(dates ? ["-startdate", dates.start, "-enddate", dates.end] : ["-days", "2"]),
    );
  };

  const caExtensions = ["basicConstraints=critical,CA:TRUE", "keyUsage=critical,keyCertSign,cRLSign"];
  selfSignedCert("ca", "/CN=Autopilot Test CA", caExtensions);
  selfSignedCert("other-ca", "/CN=Unrelated Test CA", caExtensions);
  selfSignedCert("self-signed", "/CN=127.0.0.1", [`subjectAltName=${LOOPBACK_NAMES}`]);
  signedCert("server", LOOPBACK_NAMES);
  signedCert("wrong-host", "DNS:wrong-host.invalid");
  signedCert("expired", LOOPBACK_NAMES, { start: "20200101000000Z", end: "20200102000000Z" });

  const load = (name: string): TestCertificate => ({
    cert: fs.readFileSync(file(`${name}.pem`), "utf8"),
    key: fs.readFileSync(file(`${name}.key`), "utf8"),
    certPath: file(`${name}.pem`),
    keyPath: file(`${name}.key`),
  });

  return {
    dir,
    ca: load("ca"),
    otherCa: load("other-ca"),
    server: load("server"),
    wrongHost: load("wrong-host"),
    expired: load("expired"),
    selfSigned: load("self-signed"),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** The sha256 SPKI pin of a certificate file, computed by openssl (the reference the code must match). */
export function opensslSpkiPin(certPath: string): string {
  const publicKey = execFileSync("openssl", ["x509", "-in", certPath, "-pubkey", "-noout"]);
  const der = execFileSync("openssl", ["pkey", "-pubin", "-outform", "der"], { input: publicKey });
  const digest = execFileSync("openssl", ["dgst", "-sha256", "-binary"], { input: der });
  return `sha256/${digest.toString("base64")}`;
}

function ecKey(keyPath: string): string[] {
  return ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", keyPath];
}

function caConfig(): string {
  return [
    "[ca]",
    "default_ca = lab",
    "[lab]",
    "database = index.txt",
    "new_certs_dir = .",
    "serial = serial",
    "default_md = sha256",
    "policy = any",
    "unique_subject = no",
    "[any]",
    "commonName = supplied",
    "",
  ].join("\n");
}
