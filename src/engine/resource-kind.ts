import type { FieldChange } from "./field-diff.ts";

/**
 * A kind of object in a target (Authentik application, Grafana dashboard, Homepage file) is data
 * plus a handful of small functions. Ordering, concurrency, retries after unknown outcomes,
 * ownership, audit, metrics and output belong to the engine: a kind never prints, sleeps or
 * retries on its own.
 */
// `any` defaults: providers hold kinds of different spec types in one list, and function
// parameters make ResourceKind<A> unassignable to ResourceKind<unknown>.
// biome-ignore lint/suspicious/noExplicitAny: heterogeneous kinds in one list (see above)
export interface ResourceKind<Spec = any, Observed = any, Session = any> {
  readonly kind: string;
  /** Kinds of the same target whose objects must exist first (providers before applications). */
  readonly dependsOnKinds?: readonly string[];
  /**
   * "exclusive": Autopilot creates, owns and may delete whole objects (the default).
   * "shared": the object is not Autopilot's (an outpost's provider list, a Homepage file, the
   * Grafana policy tree); Autopilot manages only its own part and never deletes the object.
   */
  readonly ownership?: "exclusive" | "shared";
  /**
   * Writes of this kind in flight at once, when the provider already serialises and batches them
   * (one request per round of queued changes): they then wait in the provider's queue without
   * holding the target's write slots. Unset: the target's limit.
   */
  readonly writeConcurrency?: number;
  /** Dotted spec paths whose values are secret: shown masked in plans. */
  readonly sensitiveFields?: readonly string[];

  /** The natural key of an observed object (slug, uid, name). */
  keyOf(observed: Observed): string;
  /** The target's own id when it differs from the key (pk, numeric id), kept with ownership. */
  idOf?(observed: Observed): string;

  /**
   * Turns names the config uses (a flow's slug, a keypair's name) into the target's ids, with
   * lookups the session loaded when it connected. May read, must not write, and must leave
   * placeholders (outputs of other resources, generated secrets) as they are. Throwing marks
   * this one resource invalid; the rest of the plan goes on.
   */
  prepare?(session: Session, spec: Spec): Spec | Promise<Spec>;

  /** Every object of this kind, one request per page. */
  list(session: Session): Promise<Observed[]>;
  /** One object by natural key; used after an unknown outcome. Defaults to list + filter. */
  read?(session: Session, key: string): Promise<Observed | undefined>;

  /**
   * Pure: the fields that differ between the (resolved) desired spec and the observed object,
   * ignoring what the server fills in by itself. `priorDigests` are the digests recorded at the
   * last write for write-only fields (see `writeOnlyDigests`).
   */
  diff(spec: Spec, observed: Observed, priorDigests: Readonly<Record<string, string>>): FieldChange[];

  create(session: Session, spec: Spec, context: WriteContext): Promise<Observed>;
  update(
    session: Session,
    spec: Spec,
    observed: Observed,
    changes: FieldChange[],
    context: WriteContext,
  ): Promise<Observed>;
  delete(session: Session, observed: Observed, context: WriteContext): Promise<void>;

  /** A value other resources may reference (OutputRef), e.g. "pk" or "client_id". */
  output(observed: Observed, field: string): unknown;

  /**
   * Digests of write-only values in the spec (secrets the server never returns), recorded after
   * each successful write and handed back to `diff` as `priorDigests`.
   */
  writeOnlyDigests?(spec: Spec): Record<string, string>;
}

/** What a write may use besides the target session. */
export interface WriteContext {
  /** Stores a secret the target handed out once (an API token's key). */
  storeSecret(name: string, value: string): Promise<void>;
}

/**
 * One managed system. `connect` checks reachability, credentials and version, and prepares
 * lookups the kinds share (flows, keypairs); a target that cannot connect is skipped for this
 * run while the others converge.
 */
// biome-ignore lint/suspicious/noExplicitAny: a provider's session type is its own business
export interface Provider<Session = any> {
  readonly target: string;
  // biome-ignore lint/suspicious/noExplicitAny: heterogeneous kinds in one list
  readonly kinds: readonly ResourceKind<any, any, Session>[];
  connect(): Promise<Session>;
  /**
   * Writes in flight at once, when the target sets its own limit instead of the executor's
   * per-target one (`--parallelism`). That limit protects a remote server; a target whose writes
   * are local and coalesced (one file write per batch of edits) only loses batching by it.
   */
  readonly writeConcurrency?: number;
  /** Releases connections. */
  close?(): Promise<void>;
}
