import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { redactor } from "../secrets/redactor.ts";
import { ConfigError } from "./config-error.ts";
import { HEADER, issuesOf, where } from "./config-probe.ts";
import { loadConfig, parseConfig, readConfigText } from "./load.ts";

const temporary: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "autopilot-config-"));
  temporary.push(dir);
  return dir;
}

afterEach(() => {
  redactor.clear();
  vi.unstubAllEnvs();
});
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

describe("loadConfig on the examples", () => {
  it("accepts examples/homelab.yaml, fills defaults and keeps secret references unresolved", async () => {
    const loaded = await loadConfig("examples/homelab.yaml");
    expect(loaded.file).toBe(resolve("examples/homelab.yaml"));
    expect(loaded.dir).toBe(resolve("examples"));
    expect(loaded.warnings).toEqual([]);
    expect(loaded.config.targets.grafana?.token).toBe("${secret:grafana_token}");
    expect(loaded.config.policies.healing.window).toBe(600_000);
    expect(loaded.config.daemon?.reconcileInterval).toBe(60_000);
    expect(loaded.config.services.map((service) => service.slug)).toEqual([
      "proxmox",
      "nas",
      "grafana",
      "sonarr",
    ]);
    expect(loaded.resolvePath("./dashboards/nas.json")).toBe(resolve("examples/dashboards/nas.json"));
    expect(loaded.environment).toBeUndefined();
  });

  it.each([
    ["unknown-key.yaml", 5, 1, "unknown-key", "sevices is not a known key"],
    [
      "literal-password.yaml",
      10,
      17,
      "literal-credential",
      "targets.grafana.basicAuth.password holds a literal value",
    ],
    ["javascript-url.yaml", 7, 11, "invalid-url", "not a javascript: URL"],
    ["bad-slug.yaml", 7, 11, "invalid-slug", "services[0].slug must be"],
    [
      "duplicate-name.yaml",
      9,
      11,
      "duplicate-name",
      'repeats the service "Grafana" of group "Monitoring" at line 5',
    ],
    ["overlay-error.yaml", 13, 15, "invalid-url", "not a ftp: URL"],
  ])("reports examples/broken/%s at %i:%i [%s]", async (name, line, column, rule, text) => {
    const file = `examples/broken/${name}`;
    const error = await loadConfig(file).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    const issues = (error as ConfigError).issues;
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file, line, column, rule, severity: "error" });
    expect(issues[0]?.message).toContain(text);
    expect((error as ConfigError).message).toContain(`${file}:${line}:${column}: `);
    expect((error as ConfigError).message).toContain(`[${rule}]`);
  });

  it("never repeats the literal password, in the issue or the error message", async () => {
    const error = (await loadConfig("examples/broken/literal-password.yaml").catch(
      (caught: unknown) => caught,
    )) as ConfigError;
    expect(JSON.stringify(error.issues)).not.toContain("hunter2");
    expect(error.message).not.toContain("hunter2");
    expect(error.kind).toBe("config");
    expect(error.toJSON()).toMatchObject({ kind: "config", issues: error.issues });
  });
});

describe("reading the file", () => {
  it("reports malformed YAML in a file at the parser's position", async () => {
    // Not kept in examples/broken: Biome parses every .yaml in the repository and would fail on it.
    const file = join(tempDir(), "syntax.yaml");
    writeFileSync(
      file,
      `${HEADER}services:\n  - { name: Grafana, group: Monitoring, depends_on: [prometheus\nalerts: []\n`,
    );
    const error = (await loadConfig(file).catch((caught: unknown) => caught)) as ConfigError;
    expect(error.issues).toEqual([
      expect.objectContaining({ file, line: 5, column: 1, rule: "yaml-syntax" }),
    ]);
    expect(error.message).toContain(
      `${file}:5:1: Flow sequence in block collection must be sufficiently indented`,
    );
  });

  it("reports a missing file with a hint on how to point at one", async () => {
    const file = join(tempDir(), "nope.yaml");
    const error = (await loadConfig(file).catch((caught: unknown) => caught)) as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.issues).toEqual([
      expect.objectContaining({
        file,
        line: 0,
        column: 0,
        rule: "file-not-found",
        message: "The config file does not exist",
      }),
    ]);
    expect(error.message).toContain(`${file}: The config file does not exist [file-not-found]`);
    expect(error.issues[0]?.hint).toContain("--config");
  });

  it("reports a directory, an unreadable file, a huge file and invalid UTF-8 as such", async () => {
    const dir = tempDir();
    await expect(readConfigText(dir)).rejects.toMatchObject({
      issues: [expect.objectContaining({ rule: "unreadable-file" })],
    });

    const huge = join(dir, "huge.yaml");
    writeFileSync(huge, "#".repeat(3 * 1024 * 1024));
    await expect(readConfigText(huge)).rejects.toMatchObject({
      issues: [expect.objectContaining({ rule: "file-too-large" })],
    });

    await expect(readConfigText("/dev/null")).rejects.toMatchObject({
      issues: [
        expect.objectContaining({
          rule: "unreadable-file",
          message: "The path is not a regular file or a pipe",
        }),
      ],
    });

    const latin1 = join(dir, "latin1.yaml");
    writeFileSync(latin1, Buffer.from([0x64, 0x6f, 0x6d, 0x61, 0x69, 0x6e, 0x3a, 0x20, 0xe9, 0x0a]));
    await expect(readConfigText(latin1)).rejects.toMatchObject({
      issues: [expect.objectContaining({ rule: "not-utf8" })],
    });

    if (process.getuid?.() !== 0) {
      const locked = join(dir, "locked.yaml");
      writeFileSync(locked, HEADER);
      chmodSync(locked, 0o000);
      await expect(readConfigText(locked)).rejects.toMatchObject({
        issues: [
          expect.objectContaining({ rule: "unreadable-file", message: expect.stringContaining("EACCES") }),
        ],
      });
    }
  });

  it("reports an empty file and a file of only comments at 1:1", () => {
    expect(where(issuesOf(""))).toEqual(["1:1 empty-file"]);
    expect(where(issuesOf("# nothing yet\n\n"))).toEqual(["1:1 empty-file"]);
  });

  it("reports a file that is a list or a single value", () => {
    expect(where(issuesOf("- a\n- b\n"))).toEqual(["1:1 not-a-mapping"]);
    expect(where(issuesOf("\n\njust text\n"))).toEqual(["3:1 not-a-mapping"]);
  });

  it("accepts a byte-order mark", () => {
    expect(parseConfig(`\uFEFF${HEADER}`, "lab.yaml").config.domain).toBe("lab.example.com");
  });
});

describe("defaults that depend on the environment", () => {
  it("takes the age identity from AUTOPILOT_AGE_IDENTITY, else the per-user default", () => {
    vi.stubEnv("AUTOPILOT_AGE_IDENTITY", "/etc/autopilot/identity.txt");
    expect(parseConfig(HEADER, "lab.yaml").config.secrets.identity).toBe("/etc/autopilot/identity.txt");
    vi.stubEnv("AUTOPILOT_AGE_IDENTITY", "");
    expect(parseConfig(HEADER, "lab.yaml").config.secrets.identity).toBe("~/.config/autopilot/identity.txt");
    const env = { AUTOPILOT_AGE_IDENTITY: "/run/keys/id.txt" };
    expect(parseConfig(HEADER, "lab.yaml", { env }).config.secrets.identity).toBe("/run/keys/id.txt");
  });

  it("resolves paths against the config's directory and expands ~", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "sub"));
    const loaded = parseConfig(HEADER, join(dir, "sub", "lab.yaml"));
    expect(loaded.resolvePath("./secrets.age")).toBe(join(dir, "sub", "secrets.age"));
    expect(loaded.resolvePath("../x")).toBe(join(dir, "x"));
    expect(loaded.resolvePath("/abs/y")).toBe("/abs/y");
    expect(loaded.resolvePath("~/.config/autopilot/identity.txt")).toBe(
      join(homedir(), ".config/autopilot/identity.txt"),
    );
    expect(loaded.resolvePath("~")).toBe(homedir());
  });
});
