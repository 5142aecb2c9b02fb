import type { HttpErrorContext } from "./errors.ts";

/**
 * The shared wording of HTTP error messages: `<target> <METHOD> <path> → <what happened>`, and
 * the hint every failure with an unknown outcome needs.
 */
export function describeCall(context: HttpErrorContext): string {
  return `${context.target} ${context.method} ${context.path ?? context.route}`;
}

/**
 * For a write that may have been applied, the one thing that matters is to re-read before
 * repeating it; for a read, `otherwise` says what to do.
 */
export function unknownOutcomeHint(
  context: HttpErrorContext,
  idempotent: boolean,
  otherwise: string,
): string {
  return idempotent
    ? otherwise
    : `${context.target} may have applied this ${context.method} before the failure; read the object back before repeating it`;
}
