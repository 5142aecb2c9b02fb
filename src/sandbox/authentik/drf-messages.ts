import type { ErrorObject } from "ajv";
import { type DrfField, type DrfFields, isPlainObject, pythonStr, pythonType } from "./drf-fields.ts";

/**
 * Turns ajv's findings about a request body into the 400 body Django REST Framework sends for
 * the same input: a map of field names to messages, with DRF's exact wording and its nesting
 * rules (flat lists for relations, index maps for list fields, one object per nested item).
 */
export type DrfErrorBody = Record<string, unknown>;

export const MESSAGES = {
  required: "This field is required.",
  null: "This field may not be null.",
  blank: "This field may not be blank.",
  notAString: "Not a valid string.",
  notABoolean: "Must be a valid boolean.",
  notANumber: "A valid number is required.",
  notADict: "Value must be a dictionary, and not have any duplicate keys.",
  slug: 'Enter a valid "slug" consisting of letters, numbers, underscores or hyphens.',
  pattern: "This value does not match the required pattern.",
  url: "Enter a valid URL.",
  email: "Enter a valid email address.",
  datetime:
    "Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].",
  noData: "No data provided",
} as const;

export const messageFor = {
  notAList: (value: unknown) => `Expected a list of items but got type "${pythonType(value)}".`,
  notADictionary: (value: unknown) => `Invalid data. Expected a dictionary, but got ${pythonType(value)}.`,
  invalidChoice: (value: unknown) => `"${pythonStr(value)}" is not a valid choice.`,
  incorrectPkType: (value: unknown) => `Incorrect type. Expected pk value, received ${pythonType(value)}.`,
  invalidUuid: (value: unknown) => `“${pythonStr(value)}” is not a valid UUID.`,
  doesNotExist: (value: unknown) => `Invalid pk "${pythonStr(value)}" - object does not exist.`,
  maxLength: (limit: number) => `Ensure this field has no more than ${limit} characters.`,
  minLength: (limit: number) => `Ensure this field has at least ${limit} characters.`,
};

const SLUG_PATTERN = "^[-a-zA-Z0-9_]+$";

export function drfErrorsFor(body: unknown, errors: ErrorObject[], fields: DrfFields): DrfErrorBody {
  if (body === null || body === undefined) return { non_field_errors: [MESSAGES.noData] };
  if (!isPlainObject(body)) return { non_field_errors: [messageFor.notADictionary(body)] };
  return objectErrors(body, errors, fields, "");
}

function objectErrors(data: Record<string, unknown>, errors: ErrorObject[], fields: DrfFields, base: string) {
  const missing = new Set<string>();
  const byField = new Map<string, ErrorObject[]>();
  for (const error of errors) {
    if (error.instancePath === base && error.keyword === "required") {
      missing.add(String((error.params as { missingProperty: string }).missingProperty));
    } else if (error.instancePath.startsWith(`${base}/`)) {
      const field = unescapePointer(error.instancePath.slice(base.length + 1).split("/")[0] ?? "");
      byField.set(field, [...(byField.get(field) ?? []), error]);
    }
  }
  const out: DrfErrorBody = {};
  for (const name of missing) out[name] = [MESSAGES.required];
  for (const [name, fieldErrors] of byField) {
    const field = fields[name];
    if (!field || missing.has(name)) continue;
    const message = fieldError(data[name], fieldErrors, field, `${base}/${escapePointer(name)}`);
    if (message !== undefined) out[name] = message;
  }
  return out;
}

function fieldError(value: unknown, errors: ErrorObject[], field: DrfField, path: string): unknown {
  if (value === null) return [MESSAGES.null];
  switch (field.kind) {
    case "nested-list":
      return nestedListError(value, errors, field.fields, path);
    case "many-pk": {
      if (!Array.isArray(value)) return [messageFor.notAList(value)];
      const index = firstFailingIndex(errors, path);
      return index === undefined
        ? undefined
        : [childMessage(value[index], errorsAt(errors, `${path}/${index}`), field.child)];
    }
    case "list": {
      if (!Array.isArray(value)) return [messageFor.notAList(value)];
      const out: Record<string, string[]> = {};
      value.forEach((item, index) => {
        const itemErrors = errorsAt(errors, `${path}/${index}`);
        if (itemErrors.length > 0) out[String(index)] = [childMessage(item, itemErrors, field.child)];
      });
      return out;
    }
    default:
      return scalarMessages(value, errorsAt(errors, path), field);
  }
}

function nestedListError(value: unknown, errors: ErrorObject[], fields: DrfFields, path: string): unknown {
  if (!Array.isArray(value)) return { non_field_errors: [messageFor.notAList(value)] };
  return value.map((item, index) => {
    const itemPath = `${path}/${index}`;
    const itemErrors = errors.filter(
      (e) => e.instancePath === itemPath || e.instancePath.startsWith(`${itemPath}/`),
    );
    if (itemErrors.length === 0) return {};
    if (!isPlainObject(item)) return { non_field_errors: [messageFor.notADictionary(item)] };
    return objectErrors(item, itemErrors, fields, itemPath);
  });
}

function firstFailingIndex(errors: ErrorObject[], path: string): number | undefined {
  const indexes = errors
    .map((e) => e.instancePath.slice(path.length + 1).split("/")[0])
    .filter((segment): segment is string => segment !== undefined && segment !== "")
    .map(Number);
  return indexes.length === 0 ? undefined : Math.min(...indexes);
}

function errorsAt(errors: ErrorObject[], path: string): ErrorObject[] {
  return errors.filter((e) => e.instancePath === path);
}

function childMessage(value: unknown, errors: ErrorObject[], child: DrfField): string {
  // Items of a many-relation go straight to the database lookup, so null is a missing pk.
  if (value === null) {
    return child.kind === "integer-pk" || child.kind === "uuid-pk"
      ? messageFor.doesNotExist(value)
      : MESSAGES.null;
  }
  return scalarMessages(value, errors, child)[0] ?? MESSAGES.required;
}

/** Messages for one scalar value, in the order DRF produces them. */
function scalarMessages(value: unknown, errors: ErrorObject[], field: DrfField): string[] {
  const relevant = errors.filter(
    (e) => !(e.keyword === "type" && e.params.type === "null") && e.keyword !== "anyOf",
  );
  if (relevant.some((e) => e.keyword === "type")) return [typeMessage(value, field)];
  if (relevant.some((e) => e.keyword === "enum")) return [messageFor.invalidChoice(value)];
  const minLength = relevant.find((e) => e.keyword === "minLength");
  if (minLength && value === "") return [MESSAGES.blank];
  const messages: string[] = [];
  for (const error of relevant) {
    if (error.keyword === "maxLength") messages.push(messageFor.maxLength(Number(error.params.limit)));
    if (error.keyword === "minLength") messages.push(messageFor.minLength(Number(error.params.limit)));
    if (error.keyword === "pattern") {
      messages.push(error.params.pattern === SLUG_PATTERN ? MESSAGES.slug : MESSAGES.pattern);
    }
    if (error.keyword === "format") messages.push(formatMessage(value, String(error.params.format), field));
  }
  return messages.length > 0 ? messages : [MESSAGES.pattern];
}

function typeMessage(value: unknown, field: DrfField): string {
  switch (field.kind) {
    case "integer-pk":
      return messageFor.incorrectPkType(value);
    case "uuid-pk":
      return messageFor.invalidUuid(value);
    case "boolean":
      return MESSAGES.notABoolean;
    case "number":
      return MESSAGES.notANumber;
    case "dict":
      return MESSAGES.notADict;
    case "choice":
      return messageFor.invalidChoice(value);
    default:
      return MESSAGES.notAString;
  }
}

function formatMessage(value: unknown, format: string, field: DrfField): string {
  if (format === "uuid" || field.kind === "uuid-pk") return messageFor.invalidUuid(value);
  if (format === "uri") return MESSAGES.url;
  if (format === "email") return MESSAGES.email;
  if (format === "date-time") return MESSAGES.datetime;
  return MESSAGES.pattern;
}

function escapePointer(segment: string): string {
  return segment.replaceAll("~", "~0").replaceAll("/", "~1");
}

function unescapePointer(segment: string): string {
  return segment.replaceAll("~1", "/").replaceAll("~0", "~");
}
