import { AsyncLocalStorage } from "node:async_hooks";
import { randomBytes } from "node:crypto";

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

export function newId(): string {
  return randomBytes(8).toString("hex");
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
