import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/**
 * Hard rule 1: TLS verification is never disabled, anywhere, not even in tests. This suite
 * greps every source file for the ways Node, undici, curl and friends offer to turn it off.
 *
 * The forbidden words are built from parts so that this file does not contain them itself.
 */
const ROOT = path.resolve(import.meta.dirname, "../..");
const SCANNED_DIRS = ["src", "test", "bin", "scripts", "bench", ".ci"];
const SKIPPED_DIRS = new Set(["node_modules", ".git", "coverage"]);
const MAX_FILE_BYTES = 2 * 1024 * 1024;

const word = (...parts: string[]) => parts.join("");

interface Rule {
  name: string;
  pattern: RegExp;
}

const RULES: readonly Rule[] = [
  { name: word("reject", "Unauthorized"), pattern: new RegExp(word("reject", "Unauthorized")) },
  {
    name: word("NODE_TLS_", "REJECT_UNAUTHORIZED"),
    pattern: new RegExp(word("NODE_TLS_", "REJECT_", "UNAUTHORIZED")),
  },
  { name: word("insecure", "SkipVerify"), pattern: new RegExp(word("insecure", "Skip", "Verify"), "i") },
  {
    name: "a no-op server identity check",
    pattern: new RegExp(
      `${word("check", "Server", "Identity")}\\s*(?:[:=]\\s*(?:\\(\\s*\\)|function\\s*\\(\\s*\\))|\\(\\s*\\)\\s*\\{)`,
    ),
  },
  { name: word("--", "insecure"), pattern: new RegExp(`${word("--", "insecure")}(?![\\w-])`) },
  {
    name: `${word("cu", "rl")} -k`,
    pattern: new RegExp(`\\b${word("cu", "rl")}\\b[^\\n]*\\s-[a-zA-Z]*k\\b`),
  },
  { name: word("strict", "SSL"), pattern: new RegExp(word("strict", "SSL"), "i") },
  { name: word("secure", "Options"), pattern: new RegExp(word("secure", "Options")) },
  { name: word("SSL_", "OP_"), pattern: new RegExp(word("SSL_", "OP_")) },
];

interface Finding {
  file: string;
  line: number;
  rule: string;
  text: string;
}

function* sourceFiles(dir: string): Generator<string> {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (SKIPPED_DIRS.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(full);
    else if (entry.isFile() && fs.statSync(full).size <= MAX_FILE_BYTES) yield full;
  }
}

function scan(root: string, dirs: readonly string[]): Finding[] {
  const findings: Finding[] = [];
  for (const dir of dirs) {
    for (const file of sourceFiles(path.join(root, dir))) {
      const content = fs.readFileSync(file);
      if (content.includes(0)) continue; // binary
      content
        .toString("utf8")
        .split("\n")
        .forEach((text, index) => {
          for (const rule of RULES) {
            if (rule.pattern.test(text)) {
              findings.push({
                file: path.relative(root, file),
                line: index + 1,
                rule: rule.name,
                text: text.trim(),
              });
            }
          }
        });
    }
  }
  return findings;
}

const report = (findings: Finding[]) =>
  findings.map((f) => `${f.file}:${f.line}: ${f.rule}: ${f.text}`).join("\n");

describe("no TLS verification bypass", () => {
  it("appears in any source, test, script or CI file", () => {
    const findings = scan(ROOT, SCANNED_DIRS);
    expect(findings, `TLS verification must never be disabled:\n${report(findings)}`).toEqual([]);
  });

  describe("the scanner", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "autopilot-tls-scan-"));
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("finds every kind of bypass and says where", () => {
      const offenders = [
        `const agent = new Agent({ connect: { ${word("reject", "Unauthorized")}: false } });`,
        `process.env.${word("NODE_TLS_", "REJECT_UNAUTHORIZED")} = "0";`,
        `tls: { ${word("insecure", "SkipVerify")}: true }`,
        `tls.connect({ ${word("check", "ServerIdentity")}: () => undefined });`,
        `const options = { ${word("check", "ServerIdentity")}() { return undefined; } };`,
        `${word("cu", "rl")} ${word("--", "insecure")} https://lab`,
        `${word("cu", "rl")} -sSk https://lab`,
        `request({ ${word("strict", "SSL")}: false })`,
        `tls.connect({ ${word("secure", "Options")}: constants.${word("SSL_", "OP_")}LEGACY_SERVER_CONNECT })`,
      ];
      fs.mkdirSync(path.join(dir, "src", "nested"), { recursive: true });
      fs.writeFileSync(path.join(dir, "src", "nested", "bad.ts"), `// fine\n${offenders.join("\n")}\n`);
      fs.mkdirSync(path.join(dir, "src", "node_modules"), { recursive: true });
      fs.writeFileSync(path.join(dir, "src", "node_modules", "ignored.js"), offenders.join("\n"));

      const findings = scan(dir, ["src"]);
      expect(findings.map((f) => f.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 10]);
      expect(new Set(findings.map((f) => f.rule)).size).toBe(RULES.length);
      expect(report(findings)).toContain(`${path.join("src", "nested", "bad.ts")}:2:`);
    });

    it("leaves legitimate TLS code alone", () => {
      const fine = [
        "checkServerIdentity: pinnedIdentityCheck(pins),",
        "checkServerIdentity: (hostname: string, cert: PeerCertificate) => Error | undefined;",
        "authentik_host_insecure: false,",
        "docker --insecure-registry=lab:5000",
        `${word("cu", "rl")} -sS https://lab`,
      ];
      fs.mkdirSync(path.join(dir, "fine"), { recursive: true });
      fs.writeFileSync(path.join(dir, "fine", "ok.ts"), fine.join("\n"));
      expect(scan(dir, ["fine"])).toEqual([]);
    });
  });
});
