import type { AuditEntry } from "./audit-event.ts";
import { canonicalJson, sha256Hex } from "./canonical-json.ts";

/** The `prevHash` of the first entry: there is nothing before it. */
export const GENESIS_HASH = "0".repeat(64);

/**
 * The hash of an entry: sha256 over the canonical JSON of every field except `hash`. The fields
 * are listed by hand rather than copied with a spread, so a property some layer adds to the
 * object can never change what was signed, and absent optional fields hash as null whether they
 * arrive as undefined (from a caller) or null (from storage). A new field of AuditEntry must be
 * added here.
 */
export function hashAuditEntry(entry: Omit<AuditEntry, "hash">): string {
  return sha256Hex(
    canonicalJson({
      seq: entry.seq,
      at: entry.at,
      actor: entry.actor,
      action: entry.action,
      target: entry.target,
      objectKey: entry.objectKey,
      beforeDigest: entry.beforeDigest ?? null,
      afterDigest: entry.afterDigest ?? null,
      outcome: entry.outcome,
      details: entry.details ?? null,
      correlationId: entry.correlationId,
      actionId: entry.actionId,
      prevHash: entry.prevHash,
    }),
  );
}
