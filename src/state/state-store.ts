import type { AuditEntry } from "../observability/audit/audit-event.ts";

/**
 * Durable memory of what Autopilot owns and what it last wrote. SQLite implements it today;
 * the interface is async and free of SQLite types so that a PostgreSQL store (several daemons
 * sharing one lab) can implement it later without touching callers.
 */

/** Identity of a managed object: target + kind + natural key. */
export interface ObjectRef {
  target: string;
  kind: string;
  key: string;
}

export interface Ownership extends ObjectRef {
  /** The target's own id (pk, uid) when it differs from the natural key. */
  externalId: string | null;
  /** "created" when Autopilot made it, "adopted" when a user handed it over. */
  origin: "created" | "adopted";
  since: string;
}

export interface AppliedDigest extends ObjectRef {
  /** What was digested, e.g. "spec" or "secureJsonData.password". */
  field: string;
  digest: string;
  at: string;
}

export interface StateStore {
  recordOwnership(entry: Omit<Ownership, "since">): Promise<void>;
  getOwnership(ref: ObjectRef): Promise<Ownership | undefined>;
  listOwned(filter?: { target?: string; kind?: string }): Promise<Ownership[]>;
  releaseOwnership(ref: ObjectRef): Promise<void>;

  setDigest(entry: Omit<AppliedDigest, "at">): Promise<void>;
  getDigest(ref: ObjectRef, field: string): Promise<AppliedDigest | undefined>;
  /**
   * What a successful write leaves behind, in one transaction: the object's own id (ownership is
   * created when missing; an existing origin — "adopted" — is kept) and its digests.
   */
  recordApplied(entry: {
    ref: ObjectRef;
    /** Absent for shared objects, which Autopilot never owns. */
    externalId?: string;
    digests: { field: string; digest: string }[];
  }): Promise<void>;

  /** Every recorded digest of one object, or of every object of a target/kind (for planning). */
  listDigests(filter?: Partial<ObjectRef>): Promise<AppliedDigest[]>;
  deleteDigests(ref: ObjectRef): Promise<void>;

  /**
   * Takes a named lock for `holder` (a daemon instance). Returns false when another live holder
   * has it. Locks expire after `ttlMs` unless renewed by calling again.
   */
  acquireLock(name: string, holder: string, ttlMs: number): Promise<boolean>;
  releaseLock(name: string, holder: string): Promise<void>;

  /** Raw audit storage, used only by the audit log (which owns hashing and chaining). */
  readonly audit: AuditStorage;

  close(): Promise<void>;
}

export interface AuditStorage {
  /**
   * Appends under an exclusive transaction: `build` receives the seq and hash of the last entry
   * (or undefined) and returns the new one, so concurrent writers from two processes cannot
   * fork the chain. `head` is the recorded chain head read in the same transaction; it differs
   * from `last` only when entries were removed or edited behind Autopilot's back, and chaining
   * from it then keeps that evidence visible to `audit verify`.
   */
  appendAtomically(
    build: (last: AuditHead | undefined, head: AuditHead | undefined) => AuditEntry,
  ): Promise<AuditEntry>;
  /** Entries in storage order (by seq), from `afterSeq` (exclusive), at most `limit`. */
  read(options?: { afterSeq?: number; limit?: number }): Promise<AuditEntry[]>;
  /** The newest `limit` entries, oldest first. */
  tail(limit: number): Promise<AuditEntry[]>;
  /** The recorded chain head (seq and hash of the last entry), kept apart from the entries. */
  head(): Promise<AuditHead | undefined>;
}

/** Seq and hash of the newest entry, as recorded beside the entries when it was appended. */
export interface AuditHead {
  seq: number;
  hash: string;
}
