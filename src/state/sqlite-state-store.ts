import type { SQLOutputValue } from "node:sqlite";
import { AutopilotError } from "../errors/autopilot-error.ts";
import { applyMigrations } from "./migrations.ts";
import { SqliteAuditStorage } from "./sqlite-audit-storage.ts";
import { SqliteConnection } from "./sqlite-connection.ts";
import type { AppliedDigest, ObjectRef, Ownership, StateStore } from "./state-store.ts";

type Row = Record<string, SQLOutputValue>;

export interface SqliteStateStoreOptions {
  /** Open without write access (audit verify/tail, inspection); refuses a file that needs upgrading. */
  readonly?: boolean;
  /** Milliseconds since the epoch; injectable so lock expiry can be tested without waiting. */
  now?: () => number;
}

/**
 * Opens (creating if needed) the SQLite state file: private directory and file, WAL, schema
 * brought up to date. One file, no server; several processes (the CLI beside the daemon) may
 * open it at once.
 */
export async function openSqliteStateStore(
  path: string,
  options: SqliteStateStoreOptions = {},
): Promise<SqliteStateStore> {
  const now = options.now ?? Date.now;
  const connection = SqliteConnection.open(path, { readonly: options.readonly ?? false });
  try {
    applyMigrations(connection, undefined, now);
  } catch (error) {
    connection.close();
    throw error;
  }
  return new SqliteStateStore(connection, now);
}

export class SqliteStateStore implements StateStore {
  readonly audit: SqliteAuditStorage;
  readonly #connection: SqliteConnection;
  readonly #now: () => number;

  constructor(connection: SqliteConnection, now: () => number = Date.now) {
    this.#connection = connection;
    this.#now = now;
    this.audit = new SqliteAuditStorage(connection);
  }

  /** Absolute path of the state file. */
  get file(): string {
    return this.#connection.file;
  }

  /** Records (or updates) ownership; `since` keeps the time ownership began. */
  async recordOwnership(entry: Omit<Ownership, "since">): Promise<void> {
    await this.#connection.write("record ownership", (db) =>
      db
        .prepare(
          "INSERT INTO ownership (target, kind, key, external_id, origin, since) VALUES (?, ?, ?, ?, ?, ?) " +
            "ON CONFLICT (target, kind, key) DO UPDATE SET external_id = excluded.external_id, origin = excluded.origin",
        )
        .run(entry.target, entry.kind, entry.key, entry.externalId, entry.origin, this.#isoNow()),
    );
  }

  async getOwnership(ref: ObjectRef): Promise<Ownership | undefined> {
    const row = this.#connection.run("read ownership", (db) =>
      db
        .prepare("SELECT * FROM ownership WHERE target = ? AND kind = ? AND key = ?")
        .get(ref.target, ref.kind, ref.key),
    );
    return row && ownershipFromRow(row);
  }

  async listOwned(filter: { target?: string; kind?: string } = {}): Promise<Ownership[]> {
    const rows = this.#connection.run("list owned objects", (db) =>
      db
        .prepare(
          "SELECT * FROM ownership WHERE ($target IS NULL OR target = $target) AND ($kind IS NULL OR kind = $kind) " +
            "ORDER BY target, kind, key",
        )
        .all({ target: filter.target ?? null, kind: filter.kind ?? null }),
    );
    return rows.map(ownershipFromRow);
  }

  async releaseOwnership(ref: ObjectRef): Promise<void> {
    await this.#connection.write("release ownership", (db) =>
      db
        .prepare("DELETE FROM ownership WHERE target = ? AND kind = ? AND key = ?")
        .run(ref.target, ref.kind, ref.key),
    );
  }

  async setDigest(entry: Omit<AppliedDigest, "at">): Promise<void> {
    await this.#connection.write("record an applied digest", (db) =>
      db
        .prepare(
          "INSERT INTO applied_digest (target, kind, key, field, digest, at) VALUES (?, ?, ?, ?, ?, ?) " +
            "ON CONFLICT (target, kind, key, field) DO UPDATE SET digest = excluded.digest, at = excluded.at",
        )
        .run(entry.target, entry.kind, entry.key, entry.field, entry.digest, this.#isoNow()),
    );
  }

  async getDigest(ref: ObjectRef, field: string): Promise<AppliedDigest | undefined> {
    const row = this.#connection.run("read an applied digest", (db) =>
      db
        .prepare("SELECT * FROM applied_digest WHERE target = ? AND kind = ? AND key = ? AND field = ?")
        .get(ref.target, ref.kind, ref.key, field),
    );
    return row && digestFromRow(row);
  }

  async recordApplied(entry: {
    ref: ObjectRef;
    externalId?: string;
    digests: { field: string; digest: string }[];
  }): Promise<void> {
    const { ref } = entry;
    const now = this.#isoNow();
    await this.#connection.write("record an applied change", (db) => {
      if (entry.externalId !== undefined) {
        db.prepare(
          "INSERT INTO ownership (target, kind, key, external_id, origin, since) VALUES (?, ?, ?, ?, 'created', ?) " +
            "ON CONFLICT (target, kind, key) DO UPDATE SET external_id = excluded.external_id",
        ).run(ref.target, ref.kind, ref.key, entry.externalId, now);
      }
      const upsert = db.prepare(
        "INSERT INTO applied_digest (target, kind, key, field, digest, at) VALUES (?, ?, ?, ?, ?, ?) " +
          "ON CONFLICT (target, kind, key, field) DO UPDATE SET digest = excluded.digest, at = excluded.at",
      );
      for (const digest of entry.digests)
        upsert.run(ref.target, ref.kind, ref.key, digest.field, digest.digest, now);
    });
  }

  async listDigests(filter: Partial<ObjectRef> = {}): Promise<AppliedDigest[]> {
    const rows = this.#connection.run("list applied digests", (db) =>
      db
        .prepare(
          "SELECT * FROM applied_digest WHERE ($target IS NULL OR target = $target) AND ($kind IS NULL OR kind = $kind) " +
            "AND ($key IS NULL OR key = $key) ORDER BY target, kind, key, field",
        )
        .all({ target: filter.target ?? null, kind: filter.kind ?? null, key: filter.key ?? null }),
    );
    return rows.map(digestFromRow);
  }

  async deleteDigests(ref: ObjectRef): Promise<void> {
    await this.#connection.write("delete applied digests", (db) =>
      db
        .prepare("DELETE FROM applied_digest WHERE target = ? AND kind = ? AND key = ?")
        .run(ref.target, ref.kind, ref.key),
    );
  }

  /**
   * One statement decides, so two processes racing for a lock cannot both win: the insert
   * succeeds when the lock is absent, and the conflict update only when the lock has expired or
   * already belongs to `holder` (a renewal). Zero changed rows means another live holder has it.
   */
  async acquireLock(name: string, holder: string, ttlMs: number): Promise<boolean> {
    if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
      throw new AutopilotError(
        "invalid",
        `lock ttl must be a positive number of milliseconds, got ${ttlMs}`,
        {
          hint: "This is a bug in the caller; pass the lease length in milliseconds.",
        },
      );
    }
    const now = this.#now();
    const result = this.#connection.run("take a lock", (db) =>
      db
        .prepare(
          "INSERT INTO locks (name, holder, expires_at) VALUES ($name, $holder, $expiresAt) " +
            "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at " +
            "WHERE locks.holder = excluded.holder OR locks.expires_at <= $now",
        )
        .run({ name, holder, expiresAt: Math.ceil(now + ttlMs), now }),
    );
    return Number(result.changes) === 1;
  }

  /** Releases the lock only when `holder` has it; releasing someone else's lock does nothing. */
  async releaseLock(name: string, holder: string): Promise<void> {
    this.#connection.run("release a lock", (db) =>
      db.prepare("DELETE FROM locks WHERE name = ? AND holder = ?").run(name, holder),
    );
  }

  /** Idempotent; the store refuses further use afterwards. */
  async close(): Promise<void> {
    this.#connection.close();
  }

  #isoNow(): string {
    return new Date(this.#now()).toISOString();
  }
}

function ownershipFromRow(row: Row): Ownership {
  return {
    target: String(row.target),
    kind: String(row.kind),
    key: String(row.key),
    externalId: row.external_id === null ? null : String(row.external_id),
    origin: row.origin === "adopted" ? "adopted" : "created",
    since: String(row.since),
  };
}

function digestFromRow(row: Record<string, unknown>): AppliedDigest {
  return {
    target: String(row.target),
    kind: String(row.kind),
    key: String(row.key),
    field: String(row.field),
    digest: String(row.digest),
    at: String(row.at),
  };
}
