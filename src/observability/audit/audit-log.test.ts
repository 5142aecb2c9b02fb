import { spawn } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AutopilotError } from "../../errors/autopilot-error.ts";
import { redactor } from "../../secrets/redactor.ts";
import { openSqliteStateStore, type SqliteStateStore } from "../../state/sqlite-state-store.ts";
import { withAction, withCorrelation } from "../context.ts";
import { createLogger, logger, memoryDestination, setLogger } from "../logger.ts";
import { registry } from "../metrics.ts";
import type { AuditEventInput } from "./audit-event.ts";
import { GENESIS_HASH, hashAuditEntry } from "./audit-hash.ts";
import { AuditLog } from "./audit-log.ts";
import { verifyAuditChain } from "./audit-verify.ts";
import { digestOf } from "./canonical-json.ts";

let dir: string;
let file: string;
const opened: SqliteStateStore[] = [];

async function openStore(): Promise<SqliteStateStore> {
  const store = await openSqliteStateStore(file);
  opened.push(store);
  return store;
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "autopilot-audit-"));
  file = path.join(dir, "state.db");
});

afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
  redactor.clear();
  fs.rmSync(dir, { recursive: true, force: true });
});

function event(overrides: Partial<AuditEventInput> = {}): AuditEventInput {
  return {
    actor: "cli:apply",
    action: "create",
    target: "authentik",
    objectKey: "application/grafana",
    outcome: "success",
    ...overrides,
  };
}

async function metricValue(action: string, outcome: string): Promise<number> {
  const metric = await registry.getSingleMetric("autopilot_audit_events_total")?.get();
  const value = metric?.values.find((v) => v.labels.action === action && v.labels.outcome === outcome);
  return value?.value ?? 0;
}

describe("AuditLog.append", () => {
  it("builds a chain: seq from 1, genesis link first, each entry linked to the previous hash", async () => {
    const store = await openStore();
    const log = new AuditLog(store.audit);
    const first = await log.append(event());
    const second = await log.append(event({ action: "update", afterDigest: digestOf({ name: "Grafana" }) }));
    const third = await log.append(event({ action: "delete", outcome: "failure", details: { status: 500 } }));

    expect([first.seq, second.seq, third.seq]).toEqual([1, 2, 3]);
    expect(first.prevHash).toBe(GENESIS_HASH);
    expect(second.prevHash).toBe(first.hash);
    expect(third.prevHash).toBe(second.hash);
    for (const entry of [first, second, third]) {
      const { hash, ...unsigned } = entry;
      expect(hash).toMatch(/^[0-9a-f]{64}$/);
      expect(hashAuditEntry(unsigned)).toBe(hash);
    }
    expect(await store.audit.read()).toEqual([first, second, third]);
    expect(await store.audit.head()).toEqual({ seq: 3, hash: third.hash });
    expect((await verifyAuditChain(store.audit)).ok).toBe(true);
  });

  it("stamps the time from the clock and the correlation and action ids from the context", async () => {
    const store = await openStore();
    const log = new AuditLog(store.audit, () => new Date(Date.UTC(2030, 0, 2, 3, 4, 5)));
    const outside = await log.append(event());
    const inside = await withCorrelation(() => withAction(() => log.append(event()), "act-1"), "corr-1");

    expect(outside.at).toBe("2030-01-02T03:04:05.000Z");
    expect(outside.correlationId).toBeNull();
    expect(outside.actionId).toBeNull();
    expect(inside.correlationId).toBe("corr-1");
    expect(inside.actionId).toBe("act-1");
  });

  it("hashes an absent digest or details the same way storage reads them back", async () => {
    const store = await openStore();
    const log = new AuditLog(store.audit);
    const entry = await log.append(event({ beforeDigest: undefined, details: undefined }));
    const [stored] = await store.audit.read();
    expect(stored?.beforeDigest).toBeNull();
    expect(stored && hashAuditEntry(stored)).toBe(entry.hash);
  });

  it("never stores a registered secret, in details (values or keys) or anywhere else in the entry", async () => {
    const secret = "s3cr3t-Token-Value-9f8e7d";
    redactor.register(secret);
    const store = await openStore();
    const log = new AuditLog(store.audit);
    const entry = await log.append(
      event({
        objectKey: `secret/${secret}`,
        details: {
          token: secret,
          nested: { url: `https://grafana.lab/?key=${encodeURIComponent(secret)}`, list: [secret] },
          [secret]: "as a key",
        },
      }),
    );

    expect(JSON.stringify(entry)).not.toContain(secret);
    expect(entry.details?.token).toBe("[redacted]");
    const [stored] = await store.audit.read();
    expect(JSON.stringify(stored)).not.toContain(secret);
    await store.close();
    for (const name of fs.readdirSync(dir)) {
      const bytes = fs.readFileSync(path.join(dir, name));
      expect(bytes.includes(secret), name).toBe(false);
      expect(bytes.includes(Buffer.from(secret).toString("base64").replace(/=+$/, "")), name).toBe(false);
    }
  });

  it("rejects a malformed event with a clear error and appends nothing", async () => {
    const store = await openStore();
    const log = new AuditLog(store.audit);
    const bad: Array<[Partial<AuditEventInput> & Record<string, unknown>, RegExp]> = [
      [{ actor: "" }, /actor/],
      [{ action: "x".repeat(201) }, /action/],
      [{ objectKey: undefined as unknown as string }, /objectKey/],
      [{ beforeDigest: "abc" }, /beforeDigest: must be a lowercase hex sha256/],
      [{ afterDigest: "A".repeat(64) }, /afterDigest/],
      [{ outcome: "maybe" as AuditEventInput["outcome"] }, /outcome/],
      [{ details: "text" as unknown as Record<string, unknown> }, /details/],
      [{ surprise: true }, /surprise|unrecognized/i],
    ];
    for (const [overrides, message] of bad) {
      const error = await log.append(event(overrides)).catch((caught: unknown) => caught);
      expect(error, JSON.stringify(overrides)).toBeInstanceOf(AutopilotError);
      expect((error as AutopilotError).kind).toBe("invalid");
      expect((error as AutopilotError).message).toMatch(message);
    }
    await expect(log.append(event({ details: { n: Number.NaN } }))).rejects.toThrow(/non-finite/);
    expect(await store.audit.read()).toEqual([]);
  });

  it("counts appended entries by action and outcome", async () => {
    const store = await openStore();
    const log = new AuditLog(store.audit);
    const before = await metricValue("secret.read", "denied");
    await log.append(event({ action: "secret.read", outcome: "denied" }));
    await log.append(event({ action: "secret.read", outcome: "denied" }));
    expect(await metricValue("secret.read", "denied")).toBe(before + 2);
  });

  it("keeps one chain when two stores on the same file append at once (2 x 200)", async () => {
    const a = new AuditLog((await openStore()).audit);
    const b = new AuditLog((await openStore()).audit);
    const appends = Array.from({ length: 200 }, (_, i) => [
      a.append(event({ actor: "daemon:reconcile", details: { i } })),
      b.append(event({ actor: "cli:apply", details: { i } })),
    ]).flat();
    const entries = await Promise.all(appends);

    const seqs = entries.map((entry) => entry.seq).sort((x, y) => x - y);
    expect(new Set(seqs).size).toBe(400);
    expect(seqs[0]).toBe(1);
    expect(seqs[399]).toBe(400);
    const store = await openStore();
    const result = await verifyAuditChain(store.audit, { pageSize: 64 });
    expect(result).toMatchObject({ ok: true, entries: 400, problems: [] });
  });

  it("keeps one chain when two processes append at the same time", async () => {
    await (await openStore()).close();
    const go = path.join(dir, "go");
    const moduleUrl = (name: string) => pathToFileURL(path.join(import.meta.dirname, name)).href;
    // Each child opens the store, says "ready", then waits for the go file, so both start
    // together; neither stops before the other has written 200 entries.
    const script = `
      const fs = await import("node:fs");
      const { openSqliteStateStore } = await import(${JSON.stringify(moduleUrl("../../state/sqlite-state-store.ts"))});
      const { AuditLog } = await import(${JSON.stringify(moduleUrl("audit-log.ts"))});
      const [file, go] = process.argv.slice(1);
      const store = await openSqliteStateStore(file);
      const log = new AuditLog(store.audit);
      process.stdout.write("ready\\n");
      while (!fs.existsSync(go)) await new Promise((resolve) => setTimeout(resolve, 2));
      // Keeps appending until both writers have 200 entries, so their runs must overlap. The
      // pause between appends is what real callers do (a network call per change); without it a
      // tight loop starves the other process, since SQLite's busy wait is not fair.
      for (let mine = 1; mine <= 5000; mine++) {
        const entry = await log.append({ actor: "proc:" + process.pid, action: "create", target: "t", objectKey: "k/" + mine, outcome: "success" });
        if (mine >= 200 && entry.seq - mine >= 200) break;
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      await store.close();
    `;
    const children = [0, 1].map(() =>
      spawn(process.execPath, ["--no-warnings", "--input-type=module", "-e", script, file, go], {
        env: { ...process.env, AUTOPILOT_LOG_LEVEL: "silent" },
        stdio: ["ignore", "pipe", "pipe"],
      }),
    );
    const exits = children.map((child) => {
      let stderr = "";
      child.stderr.on("data", (chunk) => {
        stderr += String(chunk);
      });
      return new Promise<string>((resolve) => child.on("exit", (code) => resolve(`exit ${code} ${stderr}`)));
    });
    await Promise.all(children.map((child) => once(child.stdout, "data")));
    fs.writeFileSync(go, "");
    expect(await Promise.all(exits)).toEqual(["exit 0 ", "exit 0 "]);

    const store = await openStore();
    const entries = await store.audit.read();
    const perActor = Object.values(Object.groupBy(entries, (entry) => entry.actor));
    expect(perActor).toHaveLength(2);
    expect(perActor.every((mine) => (mine?.length ?? 0) >= 200)).toBe(true);
    expect(entries.map((entry) => entry.seq)).toEqual(entries.map((_, i) => i + 1));
    // The two writers did interleave (otherwise this test would prove nothing about locking).
    const switches = entries.filter((entry, i) => i > 0 && entry.actor !== entries[i - 1]?.actor).length;
    expect(switches).toBeGreaterThan(1);
    expect(await verifyAuditChain(store.audit)).toMatchObject({ ok: true, entries: entries.length });
  });

  it("chains from the recorded head when the last entries were deleted, so the gap stays visible", async () => {
    const store = await openStore();
    const log = new AuditLog(store.audit);
    for (let i = 0; i < 5; i++) await log.append(event({ details: { i } }));
    const raw = new DatabaseSync(file);
    raw.exec("DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq >= 4");
    raw.close();
    const headBefore = await store.audit.head();

    const memory = memoryDestination();
    const previous = logger();
    setLogger(createLogger({ destination: memory.stream, pretty: false, level: "warn" }));
    try {
      const next = await log.append(event());
      expect(next.seq).toBe(6);
      expect(next.prevHash).toBe(headBefore?.hash);
    } finally {
      setLogger(previous);
    }
    expect(memory.lines().join("\n")).toMatch(/head and last entry disagree/);
    const result = await verifyAuditChain(store.audit);
    expect(result.problems.map((p) => [p.kind, p.seq])).toEqual([["missing", 4]]);
  });

  it("links to genesis when the recorded head was removed, which verify then reports", async () => {
    const store = await openStore();
    const log = new AuditLog(store.audit);
    await log.append(event());
    const raw = new DatabaseSync(file);
    raw.exec("DROP TRIGGER audit_head_no_delete; DELETE FROM audit_head");
    raw.close();
    const previous = logger();
    setLogger(createLogger({ destination: memoryDestination().stream, pretty: false }));
    try {
      expect((await log.append(event())).prevHash).toBe(GENESIS_HASH);
    } finally {
      setLogger(previous);
    }
    expect((await verifyAuditChain(store.audit)).problems.map((p) => [p.kind, p.seq])).toEqual([
      ["broken-link", 2],
    ]);
  });

  it("reads back the newest entries oldest first through tail", async () => {
    const store = await openStore();
    const log = new AuditLog(store.audit);
    for (let i = 0; i < 5; i++) await log.append(event({ details: { i } }));
    expect((await log.tail(2)).map((entry) => entry.seq)).toEqual([4, 5]);
    expect((await log.tail(10)).map((entry) => entry.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(await log.tail(0)).toEqual([]);
  });
});
