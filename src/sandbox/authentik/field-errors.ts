import type { DrfErrorBody } from "./drf-messages.ts";
import { validationFailed } from "./errors.ts";

/**
 * Collects DRF field errors for one request. DRF validates every field before it answers, so a
 * handler adds its own checks (uniqueness, related objects) to those the spec check found and
 * only then fails, with all of them in one body.
 */
export class FieldErrors {
  readonly #errors: DrfErrorBody;

  constructor(initial: DrfErrorBody = {}) {
    this.#errors = { ...initial };
  }

  has(field: string): boolean {
    return field in this.#errors;
  }

  add(field: string, message: string): void {
    const existing = this.#errors[field];
    this.#errors[field] = Array.isArray(existing) ? [...existing, message] : [message];
  }

  isEmpty(): boolean {
    return Object.keys(this.#errors).length === 0;
  }

  toJSON(): DrfErrorBody {
    return { ...this.#errors };
  }

  throwIfAny(): void {
    if (!this.isEmpty()) throw validationFailed(this.toJSON());
  }
}
