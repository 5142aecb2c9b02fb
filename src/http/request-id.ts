import { currentCorrelation, newId } from "../observability/context.ts";

/**
 * The `x-request-id` of one attempt: the correlation id of the work that made it (so a line in
 * the target's access log leads back to our logs and audit trail), or a fresh id outside any
 * correlated work, plus a process-wide counter that makes every attempt's id unique.
 */
let counter = 0;

export function nextRequestId(): string {
  counter += 1;
  const correlation = currentCorrelation();
  return `${correlation?.correlationId ?? newId()}-${counter}`;
}
