import { z } from "zod";
import { looksLikeReference } from "../secrets/reference.ts";
import { type FieldInfo, reportRule, withInfo } from "./field-info.ts";

/**
 * Text primitives of homelab.yaml. Each is a string schema with one refinement that reports a
 * named rule, so an error says which rule broke ("invalid-slug") instead of zod's generic text,
 * and none of them repeats the offending value. JSON Schema keywords go in `meta` so editors get
 * the same limits the loader enforces.
 */

/** C0/C1 controls, line separators and bidi overrides (which make text read differently than it is). */
const UNSAFE_CHARACTERS = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
const UNSAFE_EXCEPT_NEWLINE_AND_TAB = /(?![\n\t])\p{Cc}|[\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

export const REFERENCE_NOT_ALLOWED_HINT =
  "secret references (${secret:NAME}, ${env:NAME}, ...) are accepted only in credential fields, alert URLs and secrets.vault.auth.roleId";

export interface TextRule {
  rule: string;
  test: (value: string) => boolean;
  predicate: string;
  hint?: string;
}

/** Refuses a `${...}` reference where the field is not a documented reference field. */
export function refuseReference(value: string, ctx: z.RefinementCtx): boolean {
  if (!looksLikeReference(value)) return false;
  reportRule(ctx, "reference-not-allowed", "cannot hold a secret reference", {
    hint: REFERENCE_NOT_ALLOWED_HINT,
  });
  return true;
}

/** A string field checked by `rules` in order; the first broken rule is the one reported. */
export function textField(
  info: FieldInfo,
  rules: TextRule[],
  json: Record<string, unknown> = {},
): z.ZodString {
  const schema = z.string().superRefine((value, ctx) => {
    if (refuseReference(value, ctx)) return;
    const broken = rules.find((rule) => !rule.test(value));
    if (broken) reportRule(ctx, broken.rule, broken.predicate, broken.hint ? { hint: broken.hint } : {});
  });
  return withInfo(Object.keys(json).length > 0 ? schema.meta(json) : schema, info);
}

export function codePoints(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

function lengthRule(rule: string, min: number, max: number, what = "characters"): TextRule {
  return {
    rule,
    test: (value) => codePoints(value) >= min && codePoints(value) <= max,
    predicate: min === max ? `must be ${min} ${what}` : `must be ${min}-${max} ${what} long`,
  };
}

function patternRule(rule: string, pattern: RegExp, predicate: string, hint?: string): TextRule {
  return hint === undefined
    ? { rule, test: (value) => pattern.test(value), predicate }
    : { rule, test: (value) => pattern.test(value), predicate, hint };
}

function safeCharactersRule(rule: string, allowNewlines = false): TextRule {
  const unsafe = allowNewlines ? UNSAFE_EXCEPT_NEWLINE_AND_TAB : UNSAFE_CHARACTERS;
  return {
    rule,
    test: (value) => !unsafe.test(value),
    predicate: allowNewlines
      ? "must not contain control characters"
      : "must not contain control characters or line breaks",
  };
}

const NAME = /^[\p{L}\p{N}](?:[\p{L}\p{M}\p{N} ._()&+-]*[\p{L}\p{M}\p{N}._()&+-])?$/u;

/** Display name of a service, group, team, datasource...: what people see on dashboards. */
export const name = textField(
  { type: "name", expected: "a name (1-64 letters, digits, spaces and . _ ( ) & + -)" },
  [
    lengthRule("invalid-name", 1, 64),
    patternRule(
      "invalid-name",
      NAME,
      "must start with a letter or digit, end without a space and contain only letters, digits, spaces and . _ ( ) & + -",
    ),
  ],
  { minLength: 1, maxLength: 64 },
);

/** A person's display name: more characters than `name` (apostrophes, commas), still one line. */
export const personName = textField(
  { type: "text", expected: "a person's name (1-150 characters, one line)" },
  [lengthRule("invalid-name", 1, 150), safeCharactersRule("invalid-name")],
);

/** One-line free text such as a folder or alert-rule title. */
export function title(max = 190): z.ZodString {
  return textField(
    { type: "text", expected: `one line of text (1-${max} characters)` },
    [lengthRule("invalid-text", 1, max), safeCharactersRule("invalid-text")],
    { minLength: 1, maxLength: max },
  );
}

/** Optional prose shown to people; may be empty, never multi-line. */
export function shortText(max: number): z.ZodString {
  return textField(
    { type: "text", expected: `one line of text (at most ${max} characters)` },
    [lengthRule("too-long", 0, max), safeCharactersRule("invalid-text")],
    { maxLength: max },
  );
}

export const SLUG = /^[a-z0-9]([a-z0-9-]{0,48}[a-z0-9])?$/;

export const slug = textField(
  { type: "slug", expected: "a slug (lowercase letters, digits and '-', 1-50 characters)" },
  [
    patternRule(
      "invalid-slug",
      SLUG,
      "must be 1-50 lowercase letters, digits and '-', starting and ending with a letter or digit",
      "for example grafana or home-assistant",
    ),
  ],
  { pattern: SLUG.source },
);

/** A file system path; relative paths are resolved against the config file's directory. */
export const path = textField(
  { type: "path", expected: "a file path" },
  [
    lengthRule("invalid-path", 1, 4096),
    { rule: "invalid-path", test: (value) => !value.includes("\0"), predicate: "must not contain NUL" },
  ],
  { minLength: 1 },
);

export const jsonFilePath = textField({ type: "path", expected: "a path to a .json file" }, [
  lengthRule("invalid-path", 1, 4096),
  { rule: "invalid-path", test: (value) => !value.includes("\0"), predicate: "must not contain NUL" },
  patternRule("invalid-path", /\.json$/i, "must name a .json file"),
]);

const UID = /^[a-zA-Z0-9_-]{1,40}$/;
export const uid = textField(
  { type: "uid", expected: "a uid (1-40 letters, digits, '_' and '-')" },
  [patternRule("invalid-uid", UID, "must be 1-40 letters, digits, '_' and '-'")],
  { pattern: UID.source },
);

const USERNAME = /^[a-zA-Z0-9][a-zA-Z0-9_.@+-]{0,149}$/;
export const username = textField(
  { type: "username", expected: "a username (letters, digits and _ . @ + -)" },
  [
    patternRule(
      "invalid-username",
      USERNAME,
      "must be 1-150 letters, digits and _ . @ + -, starting with a letter or digit",
    ),
  ],
  { pattern: USERNAME.source },
);

const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
export const email = textField(
  { type: "email", expected: "an email address" },
  [
    lengthRule("invalid-email", 3, 254),
    patternRule("invalid-email", EMAIL, "must be an email address like alice@lab.example.com"),
  ],
  { format: "email" },
);

/** A plugin or integration type name such as "prometheus" or "slack". */
const PLUGIN_ID = /^[a-z0-9][a-z0-9_.-]{0,99}$/;
export const pluginType = textField(
  { type: "identifier", expected: "a type name like prometheus" },
  [patternRule("invalid-type", PLUGIN_ID, "must be a lowercase type name like prometheus or slack")],
  { pattern: PLUGIN_ID.source },
);

const SEVERITY = /^[a-z][a-z0-9_-]{0,30}$/;
export const severityName = textField(
  { type: "identifier", expected: "a severity like warning" },
  [patternRule("invalid-severity", SEVERITY, "must be a lowercase word like info, warning or critical")],
  { pattern: SEVERITY.source },
);

/** A login name for basic auth: not secret by itself, so a literal is fine. */
export const loginName = textField({ type: "text", expected: "a login name" }, [
  lengthRule("invalid-text", 1, 256),
  safeCharactersRule("invalid-text"),
]);

/** A PromQL (or other query language) expression; line breaks are fine, other controls are not. */
export const queryExpression = textField({ type: "text", expected: "a query expression" }, [
  lengthRule("invalid-expression", 1, 10_000),
  safeCharactersRule("invalid-expression", true),
]);

export const ENVIRONMENT_NAME = /^[a-z][a-z0-9-]{0,30}$/;
export const environmentName = textField(
  { type: "identifier", expected: "an environment name like staging" },
  [
    patternRule(
      "invalid-environment-name",
      ENVIRONMENT_NAME,
      "must be a lowercase name of letters, digits and '-' starting with a letter (at most 31 characters)",
    ),
  ],
  { pattern: ENVIRONMENT_NAME.source },
);

/** A Vault mount, path or namespace: slash-separated segments, no leading or trailing slash. */
const VAULT_PATH = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;
export const vaultPath = textField(
  { type: "vault path", expected: "a Vault path like secret or apps/autopilot" },
  [
    lengthRule("invalid-vault-path", 1, 256),
    patternRule(
      "invalid-vault-path",
      VAULT_PATH,
      "must be '/'-separated segments of letters, digits, '_', '.', '-'",
    ),
  ],
  { pattern: VAULT_PATH.source },
);

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]{0,127}$/;
export const labelName = textField(
  { type: "label", expected: "a label name like severity" },
  [
    patternRule(
      "invalid-label-name",
      LABEL_NAME,
      "must be a label name: letters, digits and '_', not starting with a digit",
    ),
  ],
  { pattern: LABEL_NAME.source },
);

/** Label values and annotations: free text, line breaks allowed (annotations are often long). */
export const labelValue = textField({ type: "text", expected: "text" }, [
  lengthRule("invalid-text", 0, 4000),
  safeCharactersRule("invalid-text", true),
]);
