import type { DatabaseSync } from "node:sqlite";
import type { SqliteConnection } from "./sqlite-connection.ts";
import { StateError } from "./state-error.ts";

/**
 * The schema as an ordered list of steps. A step, once released, never changes: a new column or
 * table is a new step appended at the end. Each applied id is recorded in `schema_migrations`,
 * which is how a file written by a newer Autopilot (ids this version does not know) is recognised
 * and refused instead of being half-understood.
 */
export interface Migration {
  readonly id: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    id: "0001-ownership-digests-locks",
    sql: `
      CREATE TABLE ownership (
        target TEXT NOT NULL,
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        external_id TEXT,
        origin TEXT NOT NULL CHECK (origin IN ('created', 'adopted')),
        since TEXT NOT NULL,
        PRIMARY KEY (target, kind, key)
      ) STRICT;
      CREATE TABLE applied_digest (
        target TEXT NOT NULL,
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        field TEXT NOT NULL,
        digest TEXT NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (target, kind, key, field)
      ) STRICT;
      CREATE TABLE locks (
        name TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        expires_at INTEGER NOT NULL -- milliseconds since the epoch
      ) STRICT;
    `,
  },
  {
    // The triggers stop careless edits; a deliberate tamperer can drop them, and is then caught
    // by the hash chain (audit verify).
    id: "0002-audit-log",
    sql: `
      CREATE TABLE audit (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        object_key TEXT NOT NULL,
        before_digest TEXT,
        after_digest TEXT,
        outcome TEXT NOT NULL,
        details_json TEXT,
        correlation_id TEXT,
        action_id TEXT,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      ) STRICT;
      CREATE TABLE audit_head (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        seq INTEGER NOT NULL,
        hash TEXT NOT NULL
      ) STRICT;
      CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
      CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
      CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON audit_head WHEN NEW.seq <= OLD.seq
        BEGIN SELECT RAISE(ABORT, 'audit log head only moves forward'); END;
      CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
    `,
  },
];

const CREATE_LEDGER =
  "CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL) STRICT";

/**
 * Brings the file up to this version's schema, all pending steps in one transaction. The first
 * look is a plain read, so opening an up-to-date file does not wait for another process's writes.
 */
export function applyMigrations(
  connection: SqliteConnection,
  migrations: readonly Migration[] = MIGRATIONS,
  now: () => number = Date.now,
): void {
  if (pendingMigrations(connection, migrations).length === 0) return;
  if (connection.readOnly) {
    throw new StateError(
      `state file ${connection.file} was written by an older Autopilot and needs upgrading`,
      {
        hint: "Run a command that writes state (autopilot apply or run) once; read-only access cannot upgrade it.",
      },
    );
  }
  connection.transaction("upgrade the schema", (db) => {
    db.exec(CREATE_LEDGER);
    // Looked at again under the write lock: another process may have upgraded in between.
    const pending = pendingOf(connection.file, appliedIds(db), migrations);
    const record = db.prepare("INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)");
    for (const migration of pending) {
      db.exec(migration.sql);
      record.run(migration.id, new Date(now()).toISOString());
    }
  });
}

/** Steps not yet applied; throws when the file holds steps this version does not know. */
export function pendingMigrations(
  connection: SqliteConnection,
  migrations: readonly Migration[] = MIGRATIONS,
): Migration[] {
  const applied = connection.run("read the schema version", (db) => {
    const ledger = db.prepare(
      "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'",
    );
    return ledger.get() === undefined ? new Set<string>() : appliedIds(db);
  });
  return pendingOf(connection.file, applied, migrations);
}

function appliedIds(db: DatabaseSync): Set<string> {
  const rows = db.prepare("SELECT id FROM schema_migrations").all();
  return new Set(rows.map((row) => String(row.id)));
}

function pendingOf(file: string, applied: Set<string>, migrations: readonly Migration[]): Migration[] {
  const known = new Set(migrations.map((migration) => migration.id));
  const unknown = [...applied].filter((id) => !known.has(id)).sort();
  if (unknown.length > 0) {
    throw new StateError(
      `state file ${file} was written by a newer Autopilot (unknown schema steps: ${unknown.join(", ")})`,
      {
        hint: "Use the Autopilot version that wrote this file (or newer), or restore a backup made by this version.",
      },
    );
  }
  return migrations.filter((migration) => !applied.has(migration.id));
}
