import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyMigrations, MIGRATIONS, type Migration, pendingMigrations } from "./migrations.ts";
import { SqliteConnection } from "./sqlite-connection.ts";
import { openSqliteStateStore } from "./sqlite-state-store.ts";
import { StateError } from "./state-error.ts";

let dir: string;
let file: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "autopilot-migrations-"));
  file = path.join(dir, "state.db");
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function ledger(): Array<{ id: string; applied_at: string }> {
  const raw = new DatabaseSync(file, { readOnly: true });
  try {
    return raw.prepare("SELECT id, applied_at FROM schema_migrations ORDER BY id").all() as Array<{
      id: string;
      applied_at: string;
    }>;
  } finally {
    raw.close();
  }
}

function tables(): string[] {
  const raw = new DatabaseSync(file, { readOnly: true });
  try {
    return raw
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
      .all()
      .map((row) => String(row.name));
  } finally {
    raw.close();
  }
}

describe("schema migrations", () => {
  it("creates every table and records each step once, in order", async () => {
    const store = await openSqliteStateStore(file);
    await store.close();
    expect(tables()).toEqual([
      "applied_digest",
      "audit",
      "audit_head",
      "locks",
      "ownership",
      "schema_migrations",
    ]);
    expect(ledger().map((row) => row.id)).toEqual(MIGRATIONS.map((migration) => migration.id));
  });

  it("does nothing when the file is reopened: no step applied twice", async () => {
    await (await openSqliteStateStore(file, { now: () => Date.parse("2030-01-01T00:00:00Z") })).close();
    const before = ledger();
    await (await openSqliteStateStore(file, { now: () => Date.parse("2031-01-01T00:00:00Z") })).close();
    expect(ledger()).toEqual(before);
    expect(before.every((row) => row.applied_at.startsWith("2030"))).toBe(true);
  });

  it("applies only the steps a file is missing", () => {
    const connection = SqliteConnection.open(file);
    try {
      applyMigrations(connection, MIGRATIONS.slice(0, 1));
      expect(pendingMigrations(connection).map((m) => m.id)).toEqual([MIGRATIONS[1]?.id]);
      applyMigrations(connection);
      expect(pendingMigrations(connection)).toEqual([]);
    } finally {
      connection.close();
    }
  });

  it("rolls back every step of a failed upgrade, leaving the file as it was", () => {
    const broken: Migration[] = [
      { id: "0001-good", sql: "CREATE TABLE good (x INTEGER)" },
      { id: "0002-bad", sql: "CREATE TABLE oops (" },
    ];
    const connection = SqliteConnection.open(file);
    try {
      expect(() => applyMigrations(connection, broken)).toThrow(StateError);
      expect(pendingMigrations(connection, broken).map((m) => m.id)).toEqual(["0001-good", "0002-bad"]);
      expect(connection.run("look", (db) => db.prepare("SELECT name FROM sqlite_schema").all())).toEqual([]);
    } finally {
      connection.close();
    }
  });

  it("refuses a file written by a newer version, with a StateError naming the unknown step", async () => {
    await (await openSqliteStateStore(file)).close();
    const raw = new DatabaseSync(file);
    raw
      .prepare("INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)")
      .run("9999-from-the-future", "x");
    raw.close();

    const error = await openSqliteStateStore(file).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StateError);
    expect((error as StateError).kind).toBe("state");
    expect((error as StateError).message).toContain("newer Autopilot");
    expect((error as StateError).message).toContain("9999-from-the-future");
    expect((error as StateError).hint).toBeTruthy();
    const readonly = await openSqliteStateStore(file, { readonly: true }).catch((caught: unknown) => caught);
    expect((readonly as StateError).message).toContain("newer Autopilot");
  });

  it("refuses read-only access to a file that needs upgrading rather than misreading it", async () => {
    const connection = SqliteConnection.open(file);
    applyMigrations(connection, MIGRATIONS.slice(0, 1));
    connection.close();
    const error = await openSqliteStateStore(file, { readonly: true }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StateError);
    expect((error as StateError).message).toContain("older Autopilot");
    expect(ledger()).toHaveLength(1);
  });
});
