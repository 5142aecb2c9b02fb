import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";

/**
 * Correlation ids follow the work through async calls without being passed by hand: one id per
 * command or reconcile, and one per action inside it. Logs, audit entries and the
 * `X-Request-Id` header all read them from here.
 */
export interface Correlation {
  readonly correlationId: string;
  readonly actionId?: string;
}

const storage = new AsyncLocalStorage<Correlation>();

/**
 * 16 hex digits. From randomUUID, which draws on a pooled entropy buffer: randomBytes(8) makes a
 * system call per id, and a big apply makes one id per action and per request.
 */
export function newId(): string {
  const uuid = randomUUID();
  return uuid.slice(0, 8) + uuid.slice(9, 13) + uuid.slice(14, 18);
}

export function currentCorrelation(): Correlation | undefined {
  return storage.getStore();
}

/** Runs `fn` under a fresh correlation id (or the one given). */
export function withCorrelation<T>(fn: () => T, correlationId: string = newId()): T {
  return storage.run({ correlationId }, fn);
}

/** Runs `fn` as one action of the current correlation, e.g. one create in an apply. */
export function withAction<T>(fn: () => T, actionId: string = newId()): T {
  const parent = storage.getStore();
  return storage.run({ correlationId: parent?.correlationId ?? newId(), actionId }, fn);
}
