import type { AuditHead, AuditStorage } from "../../state/state-store.ts";
import type { AuditEntry } from "./audit-event.ts";
import { GENESIS_HASH, hashAuditEntry } from "./audit-hash.ts";

export type AuditProblemKind =
  | "edited"
  | "missing"
  | "reordered"
  | "truncated"
  | "broken-link"
  | "head-mismatch";

export interface AuditProblem {
  seq: number;
  kind: AuditProblemKind;
  message: string;
}

export interface AuditVerification {
  ok: boolean;
  /** Entries read. */
  entries: number;
  /** Seq and hash of the last entry: worth writing down elsewhere to anchor the chain. */
  head?: AuditHead;
  /** In seq order; at most MAX_REPORTED_PROBLEMS of them (a wrecked log is not listed in full). */
  problems: AuditProblem[];
}

export const MAX_REPORTED_PROBLEMS = 1000;
const DEFAULT_PAGE_SIZE = 1000;
/** Reorder detection tries each mismatched entry at the others' positions; above this it only says "edited". */
const MAX_REORDER_CANDIDATES = 64;

/**
 * Checks the whole audit chain, one page at a time so a million entries never sit in memory:
 * - each entry's hash is recomputed ("edited" when it differs, "reordered" when the entry is
 *   intact but belongs at another seq);
 * - seqs are continuous ("missing" at a gap: entries were deleted);
 * - each entry links to the hash of the one before ("broken-link": an entry was rewritten and
 *   rehashed, which moves the damage to its successor);
 * - the recorded head matches the last entry ("truncated" when the last entries were deleted,
 *   "head-mismatch" otherwise).
 */
export async function verifyAuditChain(
  storage: AuditStorage,
  options: { pageSize?: number } = {},
): Promise<AuditVerification> {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const problems: AuditProblem[] = [];
  let problemCount = 0;
  const report = (seq: number, kind: AuditProblemKind, message: string): void => {
    problemCount += 1;
    if (problems.length < MAX_REPORTED_PROBLEMS) problems.push({ seq, kind, message });
  };

  let entries = 0;
  let previous: { entry: AuditEntry; intact: boolean } | undefined;
  // Entries whose hash failed on the previous page, kept one page longer so an entry swapped
  // across a page boundary can still be recognised as reordered.
  let unexplained: AuditEntry[] = [];

  for (;;) {
    const page = await storage.read({ afterSeq: previous?.entry.seq ?? 0, limit: pageSize });
    if (page.length === 0) break;
    const mismatched: AuditEntry[] = [];
    for (const entry of page) {
      entries += 1;
      const intact = hashAuditEntry(entry) === entry.hash;
      if (!intact) mismatched.push(entry);
      checkContinuity(entry, intact, previous, report);
      previous = { entry, intact };
    }
    const candidates = [...unexplained, ...mismatched];
    const placed = findOriginalSeqs(candidates);
    for (const entry of candidates) {
      const original = placed.get(entry);
      if (original !== undefined) {
        report(entry.seq, "reordered", `entry ${entry.seq} is intact but was written as entry ${original}`);
      } else if (unexplained.includes(entry)) {
        reportEdited(entry, report);
      }
    }
    unexplained = mismatched.filter((entry) => !placed.has(entry));
  }
  for (const entry of unexplained) reportEdited(entry, report);

  const last = previous?.entry;
  checkHead(last, await storage.head(), report);
  problems.sort((a, b) => a.seq - b.seq);
  return {
    ok: problemCount === 0,
    entries,
    ...(last ? { head: { seq: last.seq, hash: last.hash } } : {}),
    problems,
  };
}

type Report = (seq: number, kind: AuditProblemKind, message: string) => void;

function checkContinuity(
  entry: AuditEntry,
  intact: boolean,
  previous: { entry: AuditEntry; intact: boolean } | undefined,
  report: Report,
): void {
  const expectedSeq = (previous?.entry.seq ?? 0) + 1;
  if (entry.seq !== expectedSeq) {
    const range =
      entry.seq - 1 === expectedSeq
        ? `entry ${expectedSeq} is`
        : `entries ${expectedSeq}-${entry.seq - 1} are`;
    report(expectedSeq, "missing", `${range} missing: the log jumps from ${expectedSeq - 1} to ${entry.seq}`);
    return; // across a gap the link cannot be checked
  }
  // A link is only meaningful between two entries that are themselves intact; a damaged
  // neighbour has already been reported, and a swapped one would otherwise be reported twice.
  if (!intact || (previous !== undefined && !previous.intact)) return;
  const expectedLink = previous?.entry.hash ?? GENESIS_HASH;
  if (entry.prevHash !== expectedLink) {
    const before = previous ? `entry ${previous.entry.seq}` : "the start of the log";
    report(
      entry.seq,
      "broken-link",
      `entry ${entry.seq} does not link to ${before}: that entry was rewritten, or entries were inserted`,
    );
  }
}

/**
 * An entry whose hash fails at its own seq but matches at another mismatched entry's seq is
 * intact and out of place. Pairs are tried only among a small set of mismatched entries.
 */
function findOriginalSeqs(candidates: AuditEntry[]): Map<AuditEntry, number> {
  const found = new Map<AuditEntry, number>();
  if (candidates.length < 2 || candidates.length > MAX_REORDER_CANDIDATES) return found;
  for (const entry of candidates) {
    for (const other of candidates) {
      if (other.seq !== entry.seq && hashAuditEntry({ ...entry, seq: other.seq }) === entry.hash) {
        found.set(entry, other.seq);
        break;
      }
    }
  }
  return found;
}

function reportEdited(entry: AuditEntry, report: Report): void {
  report(
    entry.seq,
    "edited",
    `entry ${entry.seq} was changed after it was written: its hash no longer matches`,
  );
}

function checkHead(last: AuditEntry | undefined, recorded: AuditHead | undefined, report: Report): void {
  const lastSeq = last?.seq ?? 0;
  if (recorded === undefined) {
    if (last) report(lastSeq, "head-mismatch", "the recorded chain head is missing");
    return;
  }
  if (recorded.seq > lastSeq) {
    report(
      lastSeq + 1,
      "truncated",
      `the log ends at entry ${lastSeq} but its head records entry ${recorded.seq}: the last entries were deleted`,
    );
  } else if (recorded.seq < lastSeq) {
    report(
      recorded.seq,
      "head-mismatch",
      `entries after ${recorded.seq} were added without moving the recorded head`,
    );
  } else if (recorded.hash !== last?.hash) {
    report(lastSeq, "head-mismatch", `entry ${lastSeq} does not match the hash recorded as the chain head`);
  }
}
