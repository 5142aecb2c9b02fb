import { messageFor } from "../drf-messages.ts";
import type { FieldErrors } from "../field-errors.ts";
import { canonicalUuid } from "../random-values.ts";

/**
 * Checks DRF runs after a value has the right shape: does the related object exist
 * (PrimaryKeyRelatedField) and is the value unique (UniqueValidator). Each skips a field that
 * already failed, since DRF reports one failure per field stage.
 */
export function checkIntegerPk(
  errors: FieldErrors,
  field: string,
  value: unknown,
  exists: (pk: number) => boolean,
): void {
  if (errors.has(field) || value === undefined || value === null) return;
  if (!exists(value as number)) errors.add(field, messageFor.doesNotExist(value));
}

export function checkUuidPk(
  errors: FieldErrors,
  field: string,
  value: unknown,
  exists: (pk: string) => boolean,
): void {
  if (errors.has(field) || value === undefined || value === null) return;
  const pk = canonicalUuid(String(value));
  if (!pk || !exists(pk)) errors.add(field, messageFor.doesNotExist(value));
}

/** ManyRelatedField: the first missing object fails the whole field. */
export function checkManyPks<T extends number | string>(
  errors: FieldErrors,
  field: string,
  values: unknown,
  exists: (pk: T) => boolean,
): void {
  if (errors.has(field) || !Array.isArray(values)) return;
  for (const value of values) {
    const pk = (typeof value === "string" ? canonicalUuid(value) : value) as T | undefined;
    if (pk === undefined || !exists(pk)) {
      errors.add(field, messageFor.doesNotExist(value));
      return;
    }
  }
}

export function checkUnique(errors: FieldErrors, field: string, taken: boolean, message: string): void {
  if (!errors.has(field) && taken) errors.add(field, message);
}

/** Canonical UUIDs for a validated list of UUID strings. */
export function uuids(values: unknown): string[] {
  return (values as string[]).map((value) => canonicalUuid(value) ?? value);
}

export function uuidOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : (canonicalUuid(String(value)) ?? String(value));
}
