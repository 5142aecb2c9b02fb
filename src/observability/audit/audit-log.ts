import { z } from "zod";
import { AutopilotError } from "../../errors/autopilot-error.ts";
import { redactor } from "../../secrets/redactor.ts";
import type { AuditHead, AuditStorage } from "../../state/state-store.ts";
import { currentCorrelation } from "../context.ts";
import { logger } from "../logger.ts";
import { counter } from "../metrics.ts";
import type { AuditEntry, AuditEventInput, AuditSink } from "./audit-event.ts";
import { GENESIS_HASH, hashAuditEntry } from "./audit-hash.ts";
import { canonicalJson } from "./canonical-json.ts";

const label = z.string().min(1).max(200);
const digest = z
  .string()
  .regex(/^[0-9a-f]{64}$/, "must be a lowercase hex sha256 digest")
  .nullish();

// Strict: a field the schema does not know would be silently left out of the hash.
const auditEventSchema = z.strictObject({
  actor: label,
  action: label,
  target: label,
  objectKey: label,
  beforeDigest: digest,
  afterDigest: digest,
  outcome: z.enum(["success", "failure", "unknown", "denied"]),
  details: z.record(z.string(), z.unknown()).optional(),
});

const appendedTotal = counter("audit_events_total", "Audit entries appended, by action and outcome.", [
  "action",
  "outcome",
]);

/**
 * The audit trail: every change to a target, secret read/write and daemon login becomes one
 * entry, chained to the previous one by hash so that an edit, a deletion or a reordering shows up
 * in `verifyAuditChain`. The storage serialises appends; this class decides what an entry holds.
 */
export class AuditLog implements AuditSink {
  readonly #storage: AuditStorage;
  readonly #clock: () => Date;

  constructor(storage: AuditStorage, clock: () => Date = () => new Date()) {
    this.#storage = storage;
    this.#clock = clock;
  }

  async append(event: AuditEventInput): Promise<AuditEntry> {
    const input = parseEvent(event);
    const correlation = currentCorrelation();
    // Every text passes the redactor, not only details: hard rule 2 covers the whole entry.
    const details = input.details === undefined ? undefined : plainJson(redactor.redactValue(input.details));
    const entry = await this.#storage.appendAtomically((last, head) => {
      const tip = chainTip(last, head);
      const unsigned: Omit<AuditEntry, "hash"> = {
        seq: tip.seq + 1,
        // Taken under the storage's write lock, so times never run backwards along the chain.
        at: this.#clock().toISOString(),
        actor: redactor.redact(input.actor),
        action: redactor.redact(input.action),
        target: redactor.redact(input.target),
        objectKey: redactor.redact(input.objectKey),
        beforeDigest: input.beforeDigest ?? null,
        afterDigest: input.afterDigest ?? null,
        outcome: input.outcome,
        ...(details === undefined ? {} : { details }),
        correlationId: correlation?.correlationId ?? null,
        actionId: correlation?.actionId ?? null,
        prevHash: tip.hash,
      };
      return { ...unsigned, hash: hashAuditEntry(unsigned) };
    });
    appendedTotal.inc({ action: entry.action, outcome: entry.outcome });
    return entry;
  }

  /** The newest `limit` entries, oldest first. */
  tail(limit: number): Promise<AuditEntry[]> {
    return this.#storage.tail(limit);
  }
}

function parseEvent(event: AuditEventInput): z.infer<typeof auditEventSchema> {
  const parsed = auditEventSchema.safeParse(event);
  if (parsed.success) return parsed.data;
  // Paths and rule messages only: the rejected values themselves could be anything.
  const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "event"}: ${issue.message}`);
  throw new AutopilotError("invalid", `audit event rejected: ${problems.join("; ")}`, {
    hint: "This is a bug in the caller: actor, action, target and objectKey are 1-200 characters, digests are sha256 hex.",
  });
}

/** Details as they will be read back from storage, so the returned entry equals the stored one. */
function plainJson(details: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(canonicalJson(details)) as Record<string, unknown>;
}

/**
 * Where the new entry attaches. Normally the head and the last entry agree. When they do not,
 * entries were removed or edited outside Autopilot: the new entry takes a seq past both (nothing
 * collides) and links to the recorded head's hash (or to genesis when the head is gone), so the
 * damage stays visible to verify instead of being papered over by the next append.
 */
function chainTip(last: AuditHead | undefined, head: AuditHead | undefined): AuditHead {
  if (last?.seq !== head?.seq || last?.hash !== head?.hash) {
    logger().warn(
      { lastSeq: last?.seq ?? null, headSeq: head?.seq ?? null },
      "audit log head and last entry disagree; run `autopilot audit verify`",
    );
  }
  return { seq: Math.max(last?.seq ?? 0, head?.seq ?? 0), hash: head?.hash ?? GENESIS_HASH };
}
