import type { IncomingHttpHeaders } from "node:http";
import type { EventAction, ModelRef } from "./audit-events.ts";
import type { Caller } from "./auth.ts";
import { notAuthenticated, permissionDenied } from "./errors.ts";
import type { FieldErrors } from "./field-errors.ts";
import type { AuthentikState } from "./state.ts";

/**
 * What a simulated operation sees and returns. One handler per operationId of the spec; the
 * server does routing, authentication, body parsing, spec validation and the response check.
 */
export interface ValidatedInput {
  /** The body after DRF's coercions; a field listed in `errors` may hold anything. */
  data: Record<string, unknown>;
  /** Field errors found so far; the handler adds its own and calls throwIfAny(). */
  errors: FieldErrors;
}

export interface OperationContext {
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly caller: Caller | null;
  readonly state: AuthentikState;
  readonly headers: IncomingHttpHeaders;
  /** The body checked against the operation's request schema (400 when it is not an object). */
  input(): ValidatedInput;
  /** Writes an audit event attributed to the caller. */
  record(action: EventAction, model: ModelRef): void;
}

export interface ApiResult {
  status: number;
  body?: unknown;
}

export interface OperationHandler {
  operationId: string;
  /** Served without credentials (a bad token is still refused). */
  anonymous?: boolean;
  handle(context: OperationContext): ApiResult;
}

export function requireCaller(context: OperationContext): Caller {
  if (!context.caller) throw notAuthenticated();
  return context.caller;
}

/**
 * The simulator grants superusers everything and other users nothing beyond what authentik
 * gives any user: creating objects needs a model permission they do not have.
 */
export function requireSuperuser(context: OperationContext): Caller {
  const caller = requireCaller(context);
  if (!caller.isSuperuser) throw permissionDenied();
  return caller;
}

/** Objects a caller may not view are invisible: a 404 on retrieve, absent from lists. */
export function canView(context: OperationContext): boolean {
  return context.caller?.isSuperuser === true;
}
