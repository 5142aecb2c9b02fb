import type { SQLOutputValue } from "node:sqlite";
import type { AuditEntry } from "../observability/audit/audit-event.ts";
import { canonicalJson } from "../observability/audit/canonical-json.ts";
import type { SqliteConnection } from "./sqlite-connection.ts";
import type { AuditHead, AuditStorage } from "./state-store.ts";

type Row = Record<string, SQLOutputValue>;

const COLUMNS =
  "seq, at, actor, action, target, object_key, before_digest, after_digest, outcome, details_json, " +
  "correlation_id, action_id, prev_hash, hash";
const PLACEHOLDERS = COLUMNS.split(",")
  .map(() => "?")
  .join(", ");

/**
 * The audit table of a SQLite state file. It stores what the audit log hands it and reads it back
 * faithfully; hashing and chaining belong to the audit log. Reading never trusts the rows: a row
 * edited by hand comes back as it is (details that are not JSON included), for verify to judge.
 */
export class SqliteAuditStorage implements AuditStorage {
  readonly #connection: SqliteConnection;

  constructor(connection: SqliteConnection) {
    this.#connection = connection;
  }

  async appendAtomically(
    build: (last: AuditHead | undefined, head: AuditHead | undefined) => AuditEntry,
  ): Promise<AuditEntry> {
    return this.#connection.write("append to the audit log", (db) => {
      // Only the link is read: parsing the whole last row (its details JSON) for every append
      // cost more than the insert.
      const last = headFromRow(db.prepare("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").get());
      const entry = build(last, headFromRow(db.prepare(HEAD).get()));
      db.prepare(`INSERT INTO audit (${COLUMNS}) VALUES (${PLACEHOLDERS})`).run(
        entry.seq,
        entry.at,
        entry.actor,
        entry.action,
        entry.target,
        entry.objectKey,
        entry.beforeDigest ?? null,
        entry.afterDigest ?? null,
        entry.outcome,
        entry.details === undefined ? null : canonicalJson(entry.details),
        entry.correlationId,
        entry.actionId,
        entry.prevHash,
        entry.hash,
      );
      db.prepare(
        "INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?) " +
          "ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
      ).run(entry.seq, entry.hash);
      return entry;
    });
  }

  async read(options: { afterSeq?: number; limit?: number } = {}): Promise<AuditEntry[]> {
    return this.#connection.run("read the audit log", (db) =>
      db
        .prepare(`SELECT ${COLUMNS} FROM audit WHERE seq > ? ORDER BY seq LIMIT ?`)
        .all(options.afterSeq ?? 0, options.limit === undefined ? -1 : rowCount(options.limit))
        .map(entryFromRow),
    );
  }

  async tail(limit: number): Promise<AuditEntry[]> {
    return this.#connection.run("read the audit log", (db) =>
      db
        .prepare(`SELECT ${COLUMNS} FROM (SELECT * FROM audit ORDER BY seq DESC LIMIT ?) ORDER BY seq`)
        .all(rowCount(limit))
        .map(entryFromRow),
    );
  }

  async head(): Promise<AuditHead | undefined> {
    return this.#connection.run("read the audit log head", (db) => headFromRow(db.prepare(HEAD).get()));
  }
}

/** SQLite's LIMIT wants a non-negative integer; anything else asks for nothing. */
function rowCount(limit: number): number {
  return Number.isFinite(limit) ? Math.max(0, Math.floor(limit)) : 0;
}

const HEAD = "SELECT seq, hash FROM audit_head WHERE id = 1";

function headFromRow(row: Row | undefined): AuditHead | undefined {
  return row && { seq: Number(row.seq), hash: String(row.hash) };
}

function entryFromRow(row: Row): AuditEntry {
  const entry: AuditEntry = {
    seq: Number(row.seq),
    at: String(row.at),
    actor: String(row.actor),
    action: String(row.action),
    target: String(row.target),
    objectKey: String(row.object_key),
    beforeDigest: textOrNull(row.before_digest),
    afterDigest: textOrNull(row.after_digest),
    outcome: String(row.outcome) as AuditEntry["outcome"],
    correlationId: textOrNull(row.correlation_id),
    actionId: textOrNull(row.action_id),
    prevHash: String(row.prev_hash),
    hash: String(row.hash),
  };
  if (row.details_json !== null && row.details_json !== undefined) {
    entry.details = detailsFrom(String(row.details_json));
  }
  return entry;
}

function textOrNull(value: SQLOutputValue | undefined): string | null {
  return value === null || value === undefined ? null : String(value);
}

/** Details that are not a JSON object were written by hand; they are kept as text, so their hash fails. */
function detailsFrom(json: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(json);
    if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>;
    }
  } catch {
    // fall through: not JSON
  }
  return { unreadableDetails: json };
}
