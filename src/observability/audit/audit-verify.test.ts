import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSqliteStateStore, type SqliteStateStore } from "../../state/sqlite-state-store.ts";
import { hashAuditEntry } from "./audit-hash.ts";
import { AuditLog } from "./audit-log.ts";
import { MAX_REPORTED_PROBLEMS, verifyAuditChain } from "./audit-verify.ts";

let dir: string;
let file: string;
let store: SqliteStateStore;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "autopilot-verify-"));
  file = path.join(dir, "state.db");
  store = await openSqliteStateStore(file);
});

afterEach(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function appendEntries(count: number): Promise<void> {
  const log = new AuditLog(store.audit);
  for (let i = 1; i <= count; i++) {
    await log.append({
      actor: "cli:apply",
      action: i % 2 === 0 ? "update" : "create",
      target: "grafana",
      objectKey: `dashboard/d${i}`,
      outcome: "success",
      details: { i },
    });
  }
}

/** A deliberate tamperer: a raw connection to the file, with the append-only triggers dropped. */
function tamper(sql: string): void {
  const raw = new DatabaseSync(file);
  try {
    raw.exec(
      "DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete; " +
        "DROP TRIGGER IF EXISTS audit_head_forward_only; DROP TRIGGER IF EXISTS audit_head_no_delete",
    );
    raw.exec(sql);
  } finally {
    raw.close();
  }
}

/** Swaps every column but seq between two rows: the entries trade places, each left intact. */
function swapEntries(a: number, b: number): string {
  const columns =
    "at, actor, action, target, object_key, before_digest, after_digest, outcome, details_json, " +
    "correlation_id, action_id, prev_hash, hash";
  return `
    CREATE TEMP TABLE pair AS SELECT * FROM audit WHERE seq IN (${a}, ${b});
    UPDATE pair SET seq = CASE seq WHEN ${a} THEN ${b} ELSE ${a} END;
    DELETE FROM audit WHERE seq IN (${a}, ${b});
    INSERT INTO audit (seq, ${columns}) SELECT seq, ${columns} FROM pair;
  `;
}

function problemsOf(result: Awaited<ReturnType<typeof verifyAuditChain>>): Array<[string, number]> {
  return result.problems.map((problem) => [problem.kind, problem.seq]);
}

describe("verifyAuditChain", () => {
  it("accepts an empty log", async () => {
    expect(await verifyAuditChain(store.audit)).toEqual({ ok: true, entries: 0, problems: [] });
  });

  it("accepts an intact log read over several pages and reports its head", async () => {
    await appendEntries(25);
    const last = (await store.audit.tail(1))[0];
    const result = await verifyAuditChain(store.audit, { pageSize: 7 });
    expect(result).toEqual({ ok: true, entries: 25, head: { seq: 25, hash: last?.hash }, problems: [] });
  });

  it("reports an entry whose content was edited as 'edited' at that seq, and nothing else", async () => {
    await appendEntries(10);
    tamper("UPDATE audit SET action = 'delete' WHERE seq = 4");
    const result = await verifyAuditChain(store.audit, { pageSize: 3 });
    expect(result.ok).toBe(false);
    expect(problemsOf(result)).toEqual([["edited", 4]]);
  });

  it("reports details rewritten into something that is not JSON as 'edited'", async () => {
    await appendEntries(3);
    tamper("UPDATE audit SET details_json = 'not json' WHERE seq = 2");
    expect(problemsOf(await verifyAuditChain(store.audit))).toEqual([["edited", 2]]);
  });

  it("reports a deleted middle entry as 'missing'", async () => {
    await appendEntries(10);
    tamper("DELETE FROM audit WHERE seq = 5");
    const result = await verifyAuditChain(store.audit);
    expect(problemsOf(result)).toEqual([["missing", 5]]);
    expect(result.problems[0]?.message).toMatch(/entry 5 is missing/);
  });

  it("reports several deleted entries, including the first, as 'missing' ranges", async () => {
    await appendEntries(10);
    tamper("DELETE FROM audit WHERE seq IN (1, 6, 7, 8)");
    const result = await verifyAuditChain(store.audit);
    expect(problemsOf(result)).toEqual([
      ["missing", 1],
      ["missing", 6],
    ]);
    expect(result.problems[1]?.message).toMatch(/entries 6-8 are missing/);
  });

  it("reports two entries that traded places as 'reordered' at both seqs", async () => {
    await appendEntries(10);
    tamper(swapEntries(4, 5));
    const result = await verifyAuditChain(store.audit);
    expect(problemsOf(result)).toEqual([
      ["reordered", 4],
      ["reordered", 5],
    ]);
    expect(result.problems[0]?.message).toMatch(/written as entry 5/);
  });

  it("recognises a reordering across a page boundary, and across a distance", async () => {
    await appendEntries(12);
    tamper(`${swapEntries(3, 4)} DROP TABLE pair; ${swapEntries(7, 11)}`);
    const result = await verifyAuditChain(store.audit, { pageSize: 3 });
    expect(problemsOf(result)).toEqual([
      ["reordered", 3],
      ["reordered", 4],
      ["reordered", 7],
      ["reordered", 11],
    ]);
  });

  it("still detects a swap of the content alone, keeping hashes in place", async () => {
    await appendEntries(6);
    tamper(`
      CREATE TEMP TABLE pair AS SELECT seq, object_key, details_json FROM audit WHERE seq IN (2, 3);
      UPDATE audit SET
        object_key = (SELECT object_key FROM pair WHERE pair.seq = 5 - audit.seq),
        details_json = (SELECT details_json FROM pair WHERE pair.seq = 5 - audit.seq)
      WHERE seq IN (2, 3);
    `);
    const result = await verifyAuditChain(store.audit);
    expect(result.ok).toBe(false);
    expect(problemsOf(result)).toEqual([
      ["edited", 2],
      ["edited", 3],
    ]);
  });

  it("reports a deleted last entry as 'truncated' against the recorded head", async () => {
    await appendEntries(10);
    tamper("DELETE FROM audit WHERE seq = 10");
    const result = await verifyAuditChain(store.audit);
    expect(problemsOf(result)).toEqual([["truncated", 10]]);
    expect(result.head?.seq).toBe(9);
  });

  it("reports a log emptied entirely as 'truncated'", async () => {
    await appendEntries(4);
    tamper("DELETE FROM audit");
    const result = await verifyAuditChain(store.audit);
    expect(result).toMatchObject({ ok: false, entries: 0 });
    expect(problemsOf(result)).toEqual([["truncated", 1]]);
  });

  it("reports an entry edited and rehashed as 'broken-link' at the next entry", async () => {
    await appendEntries(10);
    const [original] = await store.audit.read({ afterSeq: 5, limit: 1 });
    if (!original) throw new Error("entry 6 should exist");
    const forged = hashAuditEntry({ ...original, action: "delete" });
    tamper(`UPDATE audit SET action = 'delete', hash = '${forged}' WHERE seq = 6`);
    expect(problemsOf(await verifyAuditChain(store.audit))).toEqual([["broken-link", 7]]);
  });

  it("reports a rehashed last entry as a head mismatch, since no successor links to it", async () => {
    await appendEntries(3);
    const [original] = await store.audit.tail(1);
    if (!original) throw new Error("entry 3 should exist");
    const forged = hashAuditEntry({ ...original, outcome: "failure" });
    tamper(`UPDATE audit SET outcome = 'failure', hash = '${forged}' WHERE seq = 3`);
    expect(problemsOf(await verifyAuditChain(store.audit))).toEqual([["head-mismatch", 3]]);
  });

  it("reports a first entry that does not start from genesis as 'broken-link'", async () => {
    await appendEntries(2);
    const [first] = await store.audit.read({ limit: 1 });
    if (!first) throw new Error("entry 1 should exist");
    const prevHash = "f".repeat(64);
    const forged = hashAuditEntry({ ...first, prevHash });
    tamper(`UPDATE audit SET prev_hash = '${prevHash}', hash = '${forged}' WHERE seq = 1`);
    expect(problemsOf(await verifyAuditChain(store.audit))).toEqual([
      ["broken-link", 1],
      ["broken-link", 2],
    ]);
  });

  it("reports a missing, stale or overtaken head as 'head-mismatch'", async () => {
    await appendEntries(3);
    tamper("DELETE FROM audit_head");
    expect(problemsOf(await verifyAuditChain(store.audit))).toEqual([["head-mismatch", 3]]);

    tamper(`INSERT INTO audit_head (id, seq, hash) VALUES (1, 3, '${"e".repeat(64)}')`);
    expect(problemsOf(await verifyAuditChain(store.audit))).toEqual([["head-mismatch", 3]]);

    tamper("UPDATE audit_head SET seq = 2");
    expect(problemsOf(await verifyAuditChain(store.audit))).toEqual([["head-mismatch", 2]]);
  });

  it("verifies 10,000 entries page by page and caps the problems it lists", async () => {
    await appendEntries(10_000);
    const intact = await verifyAuditChain(store.audit);
    expect(intact).toMatchObject({ ok: true, entries: 10_000, problems: [] });

    tamper("UPDATE audit SET actor = 'someone-else'");
    const wrecked = await verifyAuditChain(store.audit);
    expect(wrecked.ok).toBe(false);
    expect(wrecked.problems).toHaveLength(MAX_REPORTED_PROBLEMS);
    expect(wrecked.problems.every((problem) => problem.kind === "edited")).toBe(true);
  });
});

describe("append-only enforcement", () => {
  it("refuses UPDATE and DELETE on the audit table while the triggers are in place", async () => {
    await appendEntries(2);
    const raw = new DatabaseSync(file);
    try {
      expect(() => raw.exec("UPDATE audit SET action = 'x' WHERE seq = 1")).toThrow(
        "audit log is append-only",
      );
      expect(() => raw.exec("DELETE FROM audit WHERE seq = 2")).toThrow("audit log is append-only");
      expect(() => raw.exec("DELETE FROM audit_head")).toThrow("audit log is append-only");
      expect(() => raw.exec("UPDATE audit_head SET seq = 1")).toThrow("audit log head only moves forward");
    } finally {
      raw.close();
    }
    expect((await verifyAuditChain(store.audit)).ok).toBe(true);
  });
});
