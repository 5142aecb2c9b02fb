import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AutopilotError } from "../errors/autopilot-error.ts";
import { SqliteConnection, stateErrorFrom } from "./sqlite-connection.ts";
import { StateError } from "./state-error.ts";

let dir: string;
let file: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "autopilot-conn-"));
  file = path.join(dir, "state.db");
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function sqliteError(errcode: number, message: string): Error {
  return Object.assign(new Error(message), { code: "ERR_SQLITE_ERROR", errcode });
}

describe("SqliteConnection", () => {
  it("runs with WAL, synchronous NORMAL, a 5000 ms busy timeout and foreign keys on", () => {
    const connection = SqliteConnection.open(file);
    try {
      const pragmas = connection.run("read pragmas", (db) => ({
        journal: db.prepare("PRAGMA journal_mode").get()?.journal_mode,
        synchronous: db.prepare("PRAGMA synchronous").get()?.synchronous,
        busyTimeout: db.prepare("PRAGMA busy_timeout").get()?.timeout,
        foreignKeys: db.prepare("PRAGMA foreign_keys").get()?.foreign_keys,
      }));
      expect(pragmas).toEqual({ journal: "wal", synchronous: 1, busyTimeout: 5000, foreignKeys: 1 });
    } finally {
      connection.close();
    }
  });

  it("rolls a failed transaction back entirely", () => {
    const connection = SqliteConnection.open(file);
    try {
      connection.run("create", (db) => db.exec("CREATE TABLE t (x INTEGER)"));
      expect(() =>
        connection.transaction("insert then fail", (db) => {
          db.exec("INSERT INTO t VALUES (1)");
          throw new Error("boom");
        }),
      ).toThrow(StateError);
      expect(connection.run("count", (db) => db.prepare("SELECT count(*) AS n FROM t").get()?.n)).toBe(0);
    } finally {
      connection.close();
    }
  });

  it("commits writes queued in the same turn together, each settling only after the commit", async () => {
    const connection = SqliteConnection.open(file);
    try {
      connection.run("create", (db) => db.exec("CREATE TABLE t (x INTEGER)"));
      const visibleToOthers: number[] = [];
      const writes = Array.from({ length: 20 }, (_, i) =>
        connection
          .write("insert", (db) => db.prepare("INSERT INTO t VALUES (?)").run(i).changes)
          .then((changes) => {
            // Another connection sees the row as soon as the promise settles: it was committed.
            const other = new DatabaseSync(file, { readOnly: true });
            visibleToOthers.push(Number(other.prepare("SELECT count(*) AS n FROM t").get()?.n));
            other.close();
            return changes;
          }),
      );
      expect(connection.run("count", (db) => db.prepare("SELECT count(*) AS n FROM t").get()?.n)).toBe(0);
      expect(await Promise.all(writes)).toEqual(Array.from({ length: 20 }, () => 1));
      expect(connection.commits).toBe(1);
      expect(visibleToOthers.every((n) => n === 20)).toBe(true);
      await connection.write("insert", (db) => db.exec("INSERT INTO t VALUES (99)"));
      expect(connection.commits).toBe(2);
    } finally {
      connection.close();
    }
  });

  it("fails only the bad write of a batch and keeps nothing of it", async () => {
    const connection = SqliteConnection.open(file);
    try {
      connection.run("create", (db) => db.exec("CREATE TABLE t (x INTEGER UNIQUE)"));
      const outcomes = await Promise.allSettled([
        connection.write("insert 1", (db) => db.exec("INSERT INTO t VALUES (1)")),
        connection.write("insert 2 then fail", (db) => {
          db.exec("INSERT INTO t VALUES (2)");
          throw new Error("boom");
        }),
        connection.write("insert 1 again", (db) => db.exec("INSERT INTO t VALUES (1)")),
        connection.write("insert 3", (db) => db.exec("INSERT INTO t VALUES (3)")),
      ]);
      expect(outcomes.map((outcome) => outcome.status)).toEqual([
        "fulfilled",
        "rejected",
        "rejected",
        "fulfilled",
      ]);
      const failures = outcomes.filter((outcome) => outcome.status === "rejected");
      expect(failures.map((failure) => (failure.reason as Error).message)).toEqual([
        expect.stringContaining("cannot insert 2 then fail"),
        expect.stringContaining("cannot insert 1 again"),
      ]);
      expect(failures.every((failure) => failure.reason instanceof StateError)).toBe(true);
      const rows = connection.run("read", (db) => db.prepare("SELECT x FROM t ORDER BY x").all());
      expect(rows.map((row) => row.x)).toEqual([1, 3]);
    } finally {
      connection.close();
    }
  });

  it("commits queued writes on close and refuses writes afterwards", async () => {
    const connection = SqliteConnection.open(file);
    connection.run("create", (db) => db.exec("CREATE TABLE t (x INTEGER)"));
    const pending = connection.write("insert", (db) => db.exec("INSERT INTO t VALUES (1)"));
    connection.close();
    await expect(pending).resolves.toBeUndefined();
    await expect(connection.write("insert", () => undefined)).rejects.toThrow(/closed/);
    const reopened = new DatabaseSync(file, { readOnly: true });
    expect(reopened.prepare("SELECT count(*) AS n FROM t").get()?.n).toBe(1);
    reopened.close();
  });

  it("gives up on a write lock held too long by another connection, as a retryable StateError", () => {
    const connection = SqliteConnection.open(file);
    const other = new DatabaseSync(file);
    try {
      connection.run("create", (db) => db.exec("CREATE TABLE t (x INTEGER); PRAGMA busy_timeout = 50"));
      other.exec("BEGIN IMMEDIATE");
      let caught: unknown;
      try {
        connection.transaction("write", (db) => db.exec("INSERT INTO t VALUES (1)"));
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(StateError);
      expect((caught as StateError).retryable).toBe(true);
      expect((caught as StateError).message).toContain(file);
    } finally {
      other.exec("ROLLBACK");
      other.close();
      connection.close();
    }
  });

  it("turns every kind of driver failure into a StateError with a hint, keeping AutopilotErrors as they are", () => {
    const cases: Array<[number, RegExp]> = [
      [5, /locked/],
      [6, /locked/],
      [8, /read-only/],
      [11, /not a usable SQLite/],
      [26, /not a usable SQLite/],
      [13, /full/],
      [14, /cannot open/],
      [1, /cannot do something/],
    ];
    for (const [errcode, message] of cases) {
      const error = stateErrorFrom(sqliteError(errcode, "driver says no"), "/x/state.db", "do something");
      expect(error).toBeInstanceOf(StateError);
      expect(error.message).toMatch(message);
      expect(error.hint).toBeTruthy();
    }
    expect(stateErrorFrom("a string", "/x/state.db", "do something").message).toContain("a string");
    const original = new AutopilotError("invalid", "already explained");
    expect(stateErrorFrom(original, "/x/state.db", "do something")).toBe(original);
  });
});
