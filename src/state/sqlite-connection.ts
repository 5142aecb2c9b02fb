import fs from "node:fs";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { AutopilotError } from "../errors/autopilot-error.ts";
import { StateError } from "./state-error.ts";

/** How long a writer waits for another process's write transaction before giving up. */
export const BUSY_TIMEOUT_MS = 5000;

// SQLite primary result codes (node:sqlite reports the extended code; its low byte is the primary).
const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;
const SQLITE_READONLY = 8;
const SQLITE_CORRUPT = 11;
const SQLITE_FULL = 13;
const SQLITE_CANTOPEN = 14;
const SQLITE_NOTADB = 26;

/**
 * One open SQLite file, shared by the state store and its audit storage. Every use goes through
 * `run` or `transaction`, so a closed handle or an SQLite failure always surfaces as a StateError
 * naming the file, never as a bare driver error.
 */
interface QueuedWrite {
  readonly doing: string;
  readonly work: (db: DatabaseSync) => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

export class SqliteConnection {
  readonly file: string;
  readonly readOnly: boolean;
  readonly #db: DatabaseSync;
  #closed = false;
  #queued: QueuedWrite[] = [];
  /** Transactions committed by `write` (for tests and the benchmark). */
  commits = 0;

  private constructor(db: DatabaseSync, file: string, readonly: boolean) {
    // Statements are cached by their SQL text: the store runs the same dozen statements
    // thousands of times in a big apply, and preparing costs more than running.
    const prepare = db.prepare.bind(db);
    const statements = new Map<string, ReturnType<DatabaseSync["prepare"]>>();
    db.prepare = (sql: string) => {
      let statement = statements.get(sql);
      if (!statement) {
        statement = prepare(sql);
        statements.set(sql, statement);
      }
      return statement;
    };
    this.#db = db;
    this.file = file;
    this.readOnly = readonly;
  }

  static open(file: string, options: { readonly?: boolean } = {}): SqliteConnection {
    const absolute = path.resolve(file);
    const readonly = options.readonly ?? false;
    if (readonly) requireExistingFile(absolute);
    else createPrivateFile(absolute);
    let db: DatabaseSync | undefined;
    try {
      db = new DatabaseSync(absolute, {
        readOnly: readonly,
        timeout: BUSY_TIMEOUT_MS,
        enableForeignKeyConstraints: true,
        defensive: true,
      });
      applyPragmas(db, readonly);
      return new SqliteConnection(db, absolute, readonly);
    } catch (error) {
      db?.close();
      throw stateErrorFrom(error, absolute, "open");
    }
  }

  run<T>(doing: string, use: (db: DatabaseSync) => T): T {
    if (this.#closed) throw this.#closedError(doing);
    try {
      return use(this.#db);
    } catch (error) {
      throw stateErrorFrom(error, this.file, doing);
    }
  }

  /**
   * BEGIN IMMEDIATE takes the write lock before the first read, so a read-then-write (the audit
   * chain's "last entry, then the next one") cannot interleave with another process's.
   */
  transaction<T>(doing: string, work: (db: DatabaseSync) => T): T {
    return this.run(doing, (db) => {
      db.exec("BEGIN IMMEDIATE");
      try {
        const result = work(db);
        db.exec("COMMIT");
        return result;
      } catch (error) {
        if (db.isTransaction) db.exec("ROLLBACK");
        throw error;
      }
    });
  }

  /**
   * Group commit: writes queued in the same turn of the event loop share one transaction, so
   * the 32 actions a big apply has in flight pay for one commit instead of 32 (each commit is a
   * write to the WAL and most of the cost of a small write). A write's promise settles only once
   * its transaction has committed, so "recorded before the request is sent" still holds. When
   * any write of a batch fails, the batch is rolled back and every write is retried in a
   * transaction of its own: one bad write fails alone and nothing is half-written.
   */
  write<T>(doing: string, work: (db: DatabaseSync) => T): Promise<T> {
    if (this.#closed) return Promise.reject(this.#closedError(doing));
    return new Promise<T>((resolve, reject) => {
      this.#queued.push({ doing, work, resolve: resolve as (value: unknown) => void, reject });
      if (this.#queued.length === 1) setImmediate(() => this.#flush());
    });
  }

  #flush(): void {
    const batch = this.#queued.splice(0);
    if (batch.length === 0) return;
    if (batch.length > 1) {
      let results: unknown[] | undefined;
      try {
        results = this.transaction(`commit ${batch.length} writes`, (db) =>
          batch.map((item) => item.work(db)),
        );
      } catch {
        results = undefined; // retried one by one below, each with its own error
      }
      if (results) {
        this.commits += 1;
        batch.forEach((item, i) => {
          item.resolve(results[i]);
        });
        return;
      }
    }
    for (const item of batch) {
      try {
        const result = this.transaction(item.doing, item.work);
        this.commits += 1;
        item.resolve(result);
      } catch (error) {
        item.reject(error);
      }
    }
  }

  /** Commits what is queued, then closes. */
  close(): void {
    if (this.#closed) return;
    this.#flush();
    this.#closed = true;
    this.#db.close();
  }

  #closedError(doing: string): StateError {
    return new StateError(`cannot ${doing}: the state store ${this.file} is closed`, {
      hint: "This is a bug in Autopilot: the store was used after close(); please report it.",
    });
  }
}

function requireExistingFile(file: string): void {
  if (fs.existsSync(file)) return;
  throw new StateError(`state file ${file} does not exist`, {
    hint: "Check the path; it is created by the first command that writes state (autopilot apply or run).",
  });
}

/** The directory (0700) and file (0600) are private; SQLite gives its -wal and -shm the file's mode. */
function createPrivateFile(file: string): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.closeSync(fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_RDWR, 0o600));
  } catch (error) {
    throw new StateError(`cannot create state file ${file}: ${(error as Error).message}`, {
      hint: "Check that the directory is writable by this user, or point Autopilot at another state path.",
      cause: error,
    });
  }
}

function applyPragmas(db: DatabaseSync, readonly: boolean): void {
  // Reading the schema first makes a non-SQLite file fail here, with SQLITE_NOTADB, in both modes.
  db.prepare("SELECT count(*) FROM sqlite_schema").get();
  if (!readonly) {
    const mode = db.prepare("PRAGMA journal_mode = WAL").get()?.journal_mode;
    if (mode !== "wal") {
      throw new StateError(`state file ${db.location()} cannot use write-ahead logging (mode ${mode})`, {
        hint: "Put the state file on a local file system; network file systems do not support SQLite's WAL.",
      });
    }
  }
  // NORMAL rather than FULL: in WAL mode a commit has written its frames to the -wal file (into
  // the OS page cache) before COMMIT returns; only the fsync waits for the next checkpoint. A
  // crashed or killed process therefore loses nothing it committed, which is what the audit log
  // promises. Only an OS crash or power loss can drop the last commits, and then whole
  // transactions go together (entry and chain head), so the chain stays valid, just shorter.
  // FULL would add an fsync to every audited change for a guarantee we do not claim.
  db.exec("PRAGMA synchronous = NORMAL");
  db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.exec("PRAGMA foreign_keys = ON");
}

/** Translates a driver or file-system failure into a StateError that says what to do. */
export function stateErrorFrom(error: unknown, file: string, doing: string): AutopilotError {
  if (error instanceof AutopilotError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const errcode = (error as { errcode?: unknown }).errcode;
  const primary = typeof errcode === "number" ? errcode & 0xff : undefined;
  switch (primary) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return new StateError(`state file ${file} stayed locked by another process (${doing}): ${message}`, {
        hint: `Retry; if it persists, look for a stuck autopilot process holding ${file}.`,
        retryable: true,
        cause: error,
      });
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return new StateError(`${file} is not a usable SQLite state file: ${message}`, {
        hint:
          "Move the file aside and restore it from a backup. Starting with a new file makes Autopilot " +
          "forget which objects it owns and begins a new audit log.",
        cause: error,
      });
    case SQLITE_READONLY:
      return new StateError(`cannot ${doing}: ${file} is read-only (${message})`, {
        hint: "Check the file's permissions, and use a command that writes state only with write access.",
        cause: error,
      });
    case SQLITE_FULL:
      return new StateError(`cannot ${doing}: the disk holding ${file} is full`, {
        hint: "Free space on that disk, then retry.",
        retryable: true,
        cause: error,
      });
    case SQLITE_CANTOPEN:
      return new StateError(`cannot open state file ${file}: ${message}`, {
        hint: "Check that the path is a regular file in a directory this user can read and write.",
        cause: error,
      });
    default:
      return new StateError(`cannot ${doing} in state file ${file}: ${message}`, {
        hint: "If the file was edited by hand, restore it from a backup; otherwise report this as a bug.",
        cause: error,
      });
  }
}
