import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { HttpClient } from "../http/types.ts";
import type { AuditEntry, AuditEventInput, AuditSink } from "../observability/audit/audit-event.ts";
import { startVaultSimulator, type VaultSimulator } from "../sandbox/vault/server.ts";
import { initAgeStore, openAgeStore } from "./age-store.ts";
import { MASK, redactor } from "./redactor.ts";
import { parseSecretReference } from "./reference.ts";
import { createSecretResolver, objectKeyOf, type SecretResolverOptions } from "./resolver.ts";
import type { SecretStore } from "./secret-store.ts";
import { tokenAuth } from "./vault/vault-auth.ts";
import { createVaultClient } from "./vault/vault-client.ts";
import { createVaultStore } from "./vault/vault-store.ts";
import { requestsTo, simHttpClient } from "./vault/vault-test-kit.ts";

class CollectingAuditSink implements AuditSink {
  readonly events: AuditEventInput[] = [];
  async append(event: AuditEventInput): Promise<AuditEntry> {
    this.events.push(event);
    return {
      ...event,
      seq: this.events.length,
      at: "",
      correlationId: null,
      actionId: null,
      prevHash: "",
      hash: "",
    };
  }
}

describe("secret resolver", () => {
  let dir: string;
  let sim: VaultSimulator;
  let http: HttpClient;
  let ageStore: SecretStore;
  let audit: CollectingAuditSink;
  let storeOpened: number;

  beforeAll(async () => {
    sim = await startVaultSimulator();
    http = simHttpClient(sim);
  });
  afterAll(async () => {
    await http.close();
    await sim.close();
  });
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "ap-resolver-"));
    const paths = { storePath: path.join(dir, "secrets.age"), identityPath: path.join(dir, "identity.txt") };
    await initAgeStore(paths);
    ageStore = await openAgeStore(paths);
    await ageStore.set("grafana_token", "glsa_from_age_store");
    audit = new CollectingAuditSink();
    storeOpened = 0;
    sim.log.clear();
    redactor.clear();
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
    redactor.clear();
  });

  function resolver(overrides: Partial<SecretResolverOptions> = {}) {
    return createSecretResolver({
      store: async () => {
        storeOpened++;
        return ageStore;
      },
      vault: {
        client: async () => createVaultClient({ http, auth: tokenAuth(sim.rootToken) }),
        mount: "secret",
      },
      configDir: dir,
      env: { API_KEY: "env-api-key-1", SHORT: "ab" },
      audit,
      actor: "cli:test",
      ...overrides,
    });
  }

  it("passes literals through unchanged", async () => {
    expect(await resolver().resolve("https://grafana.lab")).toBe("https://grafana.lab");
    expect(audit.events).toEqual([]);
  });

  it("resolves every reference kind", async () => {
    await writeFile(path.join(dir, "db.txt"), "file-secret-value\n");
    sim.putSecret("secret", "apps/grafana", { admin_password: "vault-admin-pass" });
    const secrets = resolver();
    expect(await secrets.resolve("${secret:grafana_token}")).toBe("glsa_from_age_store");
    expect(await secrets.resolve("${env:API_KEY}")).toBe("env-api-key-1");
    expect(await secrets.resolve("${file:db.txt}")).toBe("file-secret-value");
    expect(await secrets.resolve(`\${file:${path.join(dir, "db.txt")}}`)).toBe("file-secret-value");
    expect(await secrets.resolve("${vault:apps/grafana#admin_password}")).toBe("vault-admin-pass");
  });

  it("removes exactly one trailing newline from a file", async () => {
    await writeFile(path.join(dir, "two.txt"), "line-one\n\n");
    await writeFile(path.join(dir, "crlf.txt"), "windows-value\r\n");
    expect(await resolver().resolve("${file:two.txt}")).toBe("line-one\n");
    expect(await resolver().resolve("${file:crlf.txt}")).toBe("windows-value");
  });

  it("registers every resolved value with the redactor", async () => {
    sim.putSecret("secret", "apps/x", { key: "vault-value-xyz" });
    const secrets = resolver();
    redactor.clear();
    for (const reference of ["${secret:grafana_token}", "${env:API_KEY}", "${vault:apps/x#key}"]) {
      const value = await secrets.resolve(reference);
      expect(redactor.redact(`value=${value}`)).toBe(`value=${MASK}`);
    }
  });

  it("is lazy and reads each reference once, sharing concurrent reads", async () => {
    sim.putSecret("secret", "apps/shared", { user: "vault-user-1", password: "vault-pass-1" });
    const secrets = resolver();
    expect(storeOpened).toBe(0);
    const results = await Promise.all([
      ...Array.from({ length: 10 }, () => secrets.resolve("${vault:apps/shared#password}")),
      ...Array.from({ length: 10 }, () => secrets.resolve("${secret:grafana_token}")),
      secrets.resolve("${vault:apps/shared#user}"),
    ]);
    expect(new Set(results)).toEqual(new Set(["vault-pass-1", "glsa_from_age_store", "vault-user-1"]));
    await secrets.resolve("${vault:apps/shared#password}");
    expect(requestsTo(sim, "/v1/secret/data/apps/shared")).toBe(1);
    expect(storeOpened).toBe(1);
    expect(audit.events.map((event) => event.objectKey).sort()).toEqual([
      "secret/grafana_token",
      "vault/apps/shared#password",
      "vault/apps/shared#user",
    ]);
  });

  it("audits the first read of each reference, failures too, and never the value", async () => {
    const secrets = resolver();
    await secrets.resolve("${secret:grafana_token}");
    await secrets.resolve("${secret:grafana_token}");
    await secrets.resolve("${env:API_KEY}").catch(() => undefined);
    await secrets.resolve("${env:MISSING_VAR}").catch(() => undefined);
    expect(audit.events).toEqual([
      {
        actor: "cli:test",
        action: "secret.read",
        target: "secrets",
        objectKey: "secret/grafana_token",
        outcome: "success",
      },
      {
        actor: "cli:test",
        action: "secret.read",
        target: "secrets",
        objectKey: "env/API_KEY",
        outcome: "success",
      },
      {
        actor: "cli:test",
        action: "secret.read",
        target: "secrets",
        objectKey: "env/MISSING_VAR",
        outcome: "failure",
        details: { error: "secret" },
      },
    ]);
    const text = JSON.stringify(audit.events);
    expect(text).not.toContain("glsa_from_age_store");
    expect(text).not.toContain("env-api-key-1");
  });

  it("does not cache failures: a secret added later is found", async () => {
    const secrets = resolver();
    await expect(secrets.resolve("${secret:later}")).rejects.toThrow(/not in the age store/);
    await ageStore.set("later", "added-later");
    expect(await secrets.resolve("${secret:later}")).toBe("added-later");
  });

  it("names the variable, file, secret or Vault path that is missing", async () => {
    const secrets = resolver();
    await expect(secrets.resolve("${env:NOPE}")).rejects.toThrow(
      "environment variable NOPE is not set (needed by ${env:NOPE})",
    );
    await expect(secrets.resolve("${file:missing.txt}")).rejects.toThrow(
      `file ${path.join(dir, "missing.txt")} does not exist (needed by \${file:missing.txt})`,
    );
    await expect(secrets.resolve("${file:.}")).rejects.toThrow(/cannot be read \(EISDIR\)/);
    const missing = await secrets.resolve("${secret:absent}").catch((error: unknown) => error);
    expect(missing).toMatchObject({
      message: `secret absent is not in the age store ${path.join(dir, "secrets.age")}`,
      hint: "add it with `autopilot secrets set absent`",
    });
    await expect(secrets.resolve("${vault:apps/none#key}")).rejects.toThrow(
      "Vault has no secret at secret/apps/none (needed by ${vault:apps/none#key})",
    );
    sim.putSecret("secret", "apps/partial", { other: "value-other", more: "value-more" });
    await expect(secrets.resolve("${vault:apps/partial#key}")).rejects.toThrow(
      'Vault secret secret/apps/partial has no key "key" (needed by ${vault:apps/partial#key}; its keys: more, other)',
    );
  });

  it("names the Vault path when the store is Vault", async () => {
    const client = createVaultClient({ http, auth: tokenAuth(sim.rootToken) });
    const secrets = resolver({
      store: async () => createVaultStore({ client, mount: "secret", path: "autopilot" }),
    });
    await expect(secrets.resolve("${secret:grafana_token}")).rejects.toThrow(
      'secret grafana_token is not in Vault at secret/autopilot/grafana_token (key "value")',
    );
    sim.putSecret("secret", "autopilot/grafana_token", { value: "from-vault-store" });
    expect(await secrets.resolve("${secret:grafana_token}")).toBe("from-vault-store");
  });

  it("refuses values too short to mask, without showing them", async () => {
    await writeFile(path.join(dir, "empty.txt"), "\n");
    const secrets = resolver();
    const short = await secrets.resolve("${env:SHORT}").catch((error: unknown) => error);
    expect(String(short)).toMatch(/\$\{env:SHORT\} is shorter than 4 characters/);
    expect(String(short)).not.toContain("ab\n");
    await expect(secrets.resolve("${file:empty.txt}")).rejects.toThrow(/is empty/);
  });

  it("explains references that cannot be served by this configuration", async () => {
    const secrets = createSecretResolver({ configDir: dir, actor: "cli:test", env: {} });
    await expect(secrets.resolve("${secret:x}")).rejects.toMatchObject({
      kind: "config",
      message: expect.stringContaining("no secret store is configured"),
    });
    await expect(secrets.resolve("${vault:a/b#c}")).rejects.toThrow(/no Vault is configured/);
    await expect(secrets.resolve("${nope:x}")).rejects.toMatchObject({ kind: "config" });
    await expect(secrets.resolve("text ${env:A}")).rejects.toThrow(/must be the whole value/);
  });

  it("retries opening a store that failed to open", async () => {
    let attempts = 0;
    const secrets = resolver({
      store: async () => {
        attempts++;
        if (attempts === 1) throw new Error("identity missing");
        return ageStore;
      },
    });
    await expect(secrets.resolve("${secret:grafana_token}")).rejects.toThrow("identity missing");
    expect(await secrets.resolve("${secret:grafana_token}")).toBe("glsa_from_age_store");
    expect(audit.events.map((event) => [event.outcome, event.details])).toEqual([
      ["failure", { error: "internal" }],
      ["success", undefined],
    ]);
  });

  it("resolves a parsed reference directly and names it for the audit log", async () => {
    const reference = parseSecretReference("${env:API_KEY}");
    if (!reference) throw new Error("expected a reference");
    expect(await resolver().resolveReference(reference)).toBe("env-api-key-1");
    expect(objectKeyOf(parseSecretReference("${file:/run/secrets/x}") ?? reference)).toBe(
      "file//run/secrets/x",
    );
  });

  it("uses the process environment by default", async () => {
    process.env.AUTOPILOT_RESOLVER_TEST = "from-process-env";
    try {
      const secrets = createSecretResolver({ configDir: dir, actor: "cli:test" });
      expect(await secrets.resolve("${env:AUTOPILOT_RESOLVER_TEST}")).toBe("from-process-env");
    } finally {
      delete process.env.AUTOPILOT_RESOLVER_TEST;
    }
  });
});
