import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/**
 * Hard rule 4: every network call goes through src/http, which owns TLS trust, retries,
 * breakers, rate limits, correlation and metrics. This suite looks for client-side network
 * calls anywhere else in src/.
 */
const ROOT = path.resolve(import.meta.dirname, "../..");

/** Places that may use the network directly, each with the reason. */
const ALLOWED: readonly { prefix: string; reason: string }[] = [
  { prefix: "src/http/", reason: "the HTTP core itself" },
  {
    prefix: "src/sandbox/",
    reason: "the simulators are servers, and their own test clients talk to them on loopback",
  },
  { prefix: "src/daemon/server", reason: "the daemon's HTTP server" },
];

const CLIENT_MODULES = ["http", "https", "http2", "net", "tls", "dgram"];
/** Functions of those modules that open outgoing connections. */
const CLIENT_FUNCTIONS = ["request", "get", "connect", "createConnection", "createSocket", "Agent"];

interface Finding {
  file: string;
  line: number;
  problem: string;
}

function* typescriptFiles(dir: string): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* typescriptFiles(full);
    else if (
      entry.isFile() &&
      /\.(ts|js|mjs|cjs)$/.test(entry.name) &&
      !/\.test\.[mc]?[tj]s$/.test(entry.name)
    )
      yield full;
  }
}

function findNetworkCalls(source: string): { line: number; problem: string }[] {
  const problems: { line: number; problem: string }[] = [];
  const lines = source.split("\n");
  const lineOf = (index: number) => source.slice(0, index).split("\n").length;

  lines.forEach((text, index) => {
    if (/(?:^|[^.\w$])fetch\s*\(/.test(text) || /globalThis\s*\.\s*fetch\s*\(/.test(text)) {
      problems.push({ line: index + 1, problem: "fetch() outside src/http: use an HttpClient" });
    }
    if (/new\s+WebSocket\s*\(/.test(text))
      problems.push({ line: index + 1, problem: "WebSocket outside src/http" });
    if (/(?:from\s+|import\s*\(\s*|require\s*\(\s*)["']undici["']/.test(text)) {
      problems.push({ line: index + 1, problem: "undici imported outside src/http" });
    }
  });

  const modules = CLIENT_MODULES.map((name) => `(?:node:)?${name}`).join("|");
  const importPattern = new RegExp(`import\\s+(?!type\\s)([^;]*?)\\s+from\\s+["'](${modules})["']`, "g");
  for (const match of source.matchAll(importPattern)) {
    const clause = match[1] ?? "";
    const module = match[2] ?? "";
    const line = lineOf(match.index ?? 0);
    const named = /\{([^}]*)\}/.exec(clause)?.[1] ?? "";
    for (const specifier of named.split(",")) {
      const [imported] = specifier
        .trim()
        .replace(/^type\s+/, "")
        .split(/\s+as\s+/);
      if (imported && CLIENT_FUNCTIONS.includes(imported) && !specifier.trim().startsWith("type ")) {
        problems.push({
          line,
          problem: `${imported} imported from ${module}: a client call outside src/http`,
        });
      }
    }
    const namespace = /^(?:\*\s+as\s+)?([A-Za-z_$][\w$]*)/.exec(
      clause
        .replace(/\{[^}]*\}/, "")
        .replace(/,\s*$/, "")
        .trim(),
    )?.[1];
    if (namespace) {
      const use = new RegExp(`\\b${namespace}\\s*\\.\\s*(${CLIENT_FUNCTIONS.join("|")})\\b`, "g");
      for (const call of source.matchAll(use)) {
        problems.push({
          line: lineOf(call.index ?? 0),
          problem: `${namespace}.${call[1]} from ${module}: a client call outside src/http`,
        });
      }
    }
  }
  return problems.sort((a, b) => a.line - b.line);
}

function scan(root: string): Finding[] {
  const findings: Finding[] = [];
  for (const file of typescriptFiles(path.join(root, "src"))) {
    const relative = path.relative(root, file).split(path.sep).join("/");
    if (ALLOWED.some((allowed) => relative.startsWith(allowed.prefix))) continue;
    for (const problem of findNetworkCalls(fs.readFileSync(file, "utf8")))
      findings.push({ file: relative, ...problem });
  }
  return findings;
}

describe("network calls", () => {
  it("are made only through src/http (allowed elsewhere only where listed, with a reason)", () => {
    const findings = scan(ROOT);
    const report = findings.map((f) => `${f.file}:${f.line}: ${f.problem}`).join("\n");
    expect(findings, `network calls outside src/http:\n${report}`).toEqual([]);
  });

  describe("the scanner", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "autopilot-net-scan-"));
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("finds fetch, undici and node client calls, with file and line", () => {
      const offender = [
        'import { request as send } from "node:https";',
        'import * as net from "node:net";',
        'import http from "http";',
        'import { Agent } from "undici";',
        "const a = await fetch(url);",
        "const b = await globalThis.fetch(url);",
        "net.connect(80, host);",
        "http.get(url);",
        "const ws = new WebSocket(url);",
      ].join("\n");
      fs.mkdirSync(path.join(dir, "src", "providers"), { recursive: true });
      fs.writeFileSync(path.join(dir, "src", "providers", "sneaky.ts"), offender);
      fs.mkdirSync(path.join(dir, "src", "sandbox"), { recursive: true });
      fs.writeFileSync(path.join(dir, "src", "sandbox", "sim.ts"), offender);
      fs.writeFileSync(path.join(dir, "src", "providers", "sneaky.test.ts"), offender);

      const findings = scan(dir);
      expect(findings.every((f) => f.file === "src/providers/sneaky.ts")).toBe(true);
      expect(findings.map((f) => f.line)).toEqual([1, 4, 5, 6, 7, 8, 9]);
    });

    it("leaves servers, type imports, helpers and our own client alone", () => {
      const fine = [
        'import type { IncomingHttpHeaders } from "node:http";',
        'import { createServer, type Server } from "node:http";',
        'import { isIP } from "node:net";',
        "const response = await client.fetch(url);",
        "const refetch = () => prefetch(1);",
        "server.listen(0);",
      ].join("\n");
      expect(findNetworkCalls(fine)).toEqual([]);
    });
  });
});
