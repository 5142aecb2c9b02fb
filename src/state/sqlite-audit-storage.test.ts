import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AuditEntry } from "../observability/audit/audit-event.ts";
import { openSqliteStateStore, type SqliteStateStore } from "./sqlite-state-store.ts";
import type { AuditHead } from "./state-store.ts";

let dir: string;
let file: string;
let store: SqliteStateStore;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "autopilot-audit-storage-"));
  file = path.join(dir, "state.db");
  store = await openSqliteStateStore(file);
});

afterEach(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Storage does not hash: any well-formed entry goes in as given. */
function entryAfter(last: AuditHead | undefined, extra: Partial<AuditEntry> = {}): AuditEntry {
  const seq = (last?.seq ?? 0) + 1;
  return {
    seq,
    at: `2030-01-01T00:00:0${seq % 10}.000Z`,
    actor: "cli:apply",
    action: "create",
    target: "grafana",
    objectKey: `folder/f${seq}`,
    beforeDigest: null,
    afterDigest: "a".repeat(64),
    outcome: "success",
    correlationId: "c1",
    actionId: null,
    prevHash: last?.hash ?? "0".repeat(64),
    hash: String(seq).padStart(64, "0"),
    ...extra,
  };
}

async function appendSome(count: number): Promise<void> {
  for (let i = 0; i < count; i++) await store.audit.appendAtomically((last) => entryAfter(last));
}

describe("SqliteAuditStorage", () => {
  it("hands build the last entry and the recorded head, and stores what build returns", async () => {
    const seen: Array<[number | undefined, number | undefined]> = [];
    for (let i = 0; i < 3; i++) {
      await store.audit.appendAtomically((last, head) => {
        seen.push([last?.seq, head?.seq]);
        if (last) expect(last).toEqual({ seq: last.seq, hash: String(last.seq).padStart(64, "0") });
        return entryAfter(last, { details: { i, nested: { b: [1, "x"] } } });
      });
    }
    expect(seen).toEqual([
      [undefined, undefined],
      [1, 1],
      [2, 2],
    ]);
    const [first] = await store.audit.read({ limit: 1 });
    expect(first).toEqual(entryAfter(undefined, { details: { i: 0, nested: { b: [1, "x"] } } }));
    expect(await store.audit.head()).toEqual({ seq: 3, hash: "3".padStart(64, "0") });
  });

  it("stores nothing, head included, when build throws", async () => {
    await appendSome(1);
    await expect(
      store.audit.appendAtomically(() => {
        throw new Error("refused");
      }),
    ).rejects.toThrow("refused");
    expect((await store.audit.read()).map((entry) => entry.seq)).toEqual([1]);
    expect((await store.audit.head())?.seq).toBe(1);
  });

  it("refuses an entry whose seq is already taken", async () => {
    await appendSome(2);
    await expect(store.audit.appendAtomically(() => entryAfter(undefined))).rejects.toThrow(
      /UNIQUE|PRIMARY/i,
    );
  });

  it("reads in seq order from afterSeq, at most limit entries", async () => {
    await appendSome(6);
    expect((await store.audit.read()).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect((await store.audit.read({ afterSeq: 2, limit: 3 })).map((e) => e.seq)).toEqual([3, 4, 5]);
    expect((await store.audit.read({ afterSeq: 6 })).map((e) => e.seq)).toEqual([]);
    expect((await store.audit.read({ limit: 2.7 })).map((e) => e.seq)).toEqual([1, 2]);
    expect(await store.audit.read({ limit: -1 })).toEqual([]);
  });

  it("tails the newest entries oldest first, treating a nonsense limit as none", async () => {
    await appendSome(4);
    expect((await store.audit.tail(3)).map((e) => e.seq)).toEqual([2, 3, 4]);
    expect(await store.audit.tail(Number.NaN)).toEqual([]);
    expect(await store.audit.tail(-5)).toEqual([]);
  });

  it("reads rows edited by hand as they are, keeping unreadable details as text", async () => {
    await appendSome(3);
    const raw = new DatabaseSync(file);
    raw.exec("DROP TRIGGER audit_no_update");
    raw.exec("UPDATE audit SET details_json = '{broken' WHERE seq = 1");
    raw.exec("UPDATE audit SET details_json = '[1,2]', correlation_id = NULL WHERE seq = 2");
    raw.close();
    const [first, second, third] = await store.audit.read();
    expect(first?.details).toEqual({ unreadableDetails: "{broken" });
    expect(second?.details).toEqual({ unreadableDetails: "[1,2]" });
    expect(second?.correlationId).toBeNull();
    expect(third && "details" in third).toBe(false);
  });
});
