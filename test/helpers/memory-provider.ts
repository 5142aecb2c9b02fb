import { diffFields } from "../../src/engine/field-diff.ts";
import type { Provider, ResourceKind } from "../../src/engine/resource-kind.ts";
import { UnavailableError } from "../../src/http/errors.ts";

/**
 * An in-memory target for engine tests: objects per kind with server-assigned ids, a write
 * counter, and scripted faults (fail before or after committing, with an unknown outcome).
 */
export interface MemoryObject {
  id: number;
  key: string;
  [field: string]: unknown;
}

type Fault = { kind: string; op: "create" | "update" | "delete"; commit: boolean; times: number };

export class MemoryTarget {
  readonly objects = new Map<string, Map<string, MemoryObject>>();
  readonly writes: { op: string; kind: string; key: string }[] = [];
  lists = 0;
  nextId = 1;
  down = false;
  #faults: Fault[] = [];
  inFlight = 0;
  maxInFlight = 0;
  readonly #inFlightByKind = new Map<string, number>();
  /** The most writes of each kind that were in flight at once. */
  readonly maxInFlightByKind = new Map<string, number>();
  writeDelayMs = 0;

  table(kind: string): Map<string, MemoryObject> {
    let table = this.objects.get(kind);
    if (!table) {
      table = new Map();
      this.objects.set(kind, table);
    }
    return table;
  }

  /** Puts an object in place without Autopilot, as a person clicking in the UI would. */
  putByHand(kind: string, key: string, fields: Record<string, unknown>): MemoryObject {
    const object = { ...fields, id: this.nextId++, key };
    this.table(kind).set(key, object);
    return object;
  }

  /** The next `times` writes of this kind/op fail with an unknown outcome, committed or not. */
  fail(kind: string, op: Fault["op"], options: { commit: boolean; times?: number }): void {
    this.#faults.push({ kind, op, commit: options.commit, times: options.times ?? 1 });
  }

  async write<T>(kind: string, op: Fault["op"], key: string, apply: () => T): Promise<T> {
    if (this.down) throw unavailable(kind, "not-sent");
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const ofKind = (this.#inFlightByKind.get(kind) ?? 0) + 1;
    this.#inFlightByKind.set(kind, ofKind);
    this.maxInFlightByKind.set(kind, Math.max(this.maxInFlightByKind.get(kind) ?? 0, ofKind));
    try {
      if (this.writeDelayMs) await new Promise((resolve) => setTimeout(resolve, this.writeDelayMs));
      this.writes.push({ op, kind, key });
      const fault = this.#faults.find((f) => f.kind === kind && f.op === op && f.times > 0);
      if (fault) {
        fault.times -= 1;
        if (fault.commit) apply();
        throw unavailable(kind, "unknown");
      }
      return apply();
    } finally {
      this.inFlight -= 1;
      this.#inFlightByKind.set(kind, (this.#inFlightByKind.get(kind) ?? 1) - 1);
    }
  }
}

function unavailable(kind: string, outcome: "unknown" | "not-sent"): UnavailableError {
  return new UnavailableError(`memory ${kind}: connection reset`, {
    target: "memory",
    method: "POST",
    route: `/${kind}`,
    requestId: "test",
    outcome,
    failure: "reset",
  });
}

export interface KindOptions {
  dependsOnKinds?: string[];
  sensitiveFields?: string[];
  ownership?: "exclusive" | "shared";
}

export function memoryKind(
  kind: string,
  options: KindOptions = {},
): ResourceKind<Record<string, unknown>, MemoryObject, MemoryTarget> {
  return {
    kind,
    ...(options.dependsOnKinds ? { dependsOnKinds: options.dependsOnKinds } : {}),
    ...(options.sensitiveFields ? { sensitiveFields: options.sensitiveFields } : {}),
    ...(options.ownership ? { ownership: options.ownership } : {}),
    keyOf: (object) => object.key,
    idOf: (object) => String(object.id),
    async list(session) {
      if (session.down) throw unavailable(kind, "not-sent");
      session.lists += 1;
      return [...session.table(kind).values()].map((object) => ({ ...object }));
    },
    diff: (spec, observed) =>
      diffFields(spec, observed, options.sensitiveFields ? { sensitive: options.sensitiveFields } : {}),
    create: (session, spec) =>
      session.write(kind, "create", String(spec.key), () => {
        const object = { ...spec, id: session.nextId++, key: String(spec.key) };
        session.table(kind).set(object.key, object);
        return { ...object };
      }),
    update: (session, spec, observed) =>
      session.write(kind, "update", observed.key, () => {
        const object = { ...(session.table(kind).get(observed.key) as MemoryObject), ...spec };
        session.table(kind).set(observed.key, object);
        return { ...object };
      }),
    delete: (session, observed) =>
      session.write(kind, "delete", observed.key, () => {
        session.table(kind).delete(observed.key);
      }),
    output: (object, field) => object[field],
  };
}

export function memoryProvider(
  target: MemoryTarget,
  name: string,
  kinds: ResourceKind[],
): Provider<MemoryTarget> {
  return {
    target: name,
    kinds,
    async connect() {
      if (target.down) throw unavailable("connect", "not-sent");
      return target;
    },
  };
}
