import { z } from "zod";
import { redactor } from "../secrets/redactor.ts";
import { reportRule, withInfo } from "./field-info.ts";
import { refuseReference } from "./fields.ts";

export const MAX_URL_LENGTH = 2048;

export interface UrlProblem {
  rule: "invalid-url" | "url-credentials";
  predicate: string;
  hint?: string;
}

// Whitespace and controls are checked on the raw text because the WHATWG parser silently drops
// tabs and newlines, so "java\tscript:" would otherwise parse as something else than it reads.
const WHITESPACE_OR_CONTROL = /[\s\p{Cc}]/u;
const HTTP_SCHEME = /^https?:\/\//i;
const ANY_SCHEME = /^([a-z][a-z0-9+.-]{0,19}):/i;

/**
 * Why `value` is not an acceptable absolute http(s) URL, or undefined when it is. A URL with a
 * username or password is refused (credentials belong in secret references) and its password
 * is registered with the redactor so it cannot leak through any later output.
 */
export function urlProblem(value: string, options: { httpsOnly?: boolean } = {}): UrlProblem | undefined {
  if (value.length > MAX_URL_LENGTH) {
    return { rule: "invalid-url", predicate: `must be at most ${MAX_URL_LENGTH} characters` };
  }
  if (WHITESPACE_OR_CONTROL.test(value)) {
    return { rule: "invalid-url", predicate: "must not contain spaces or control characters" };
  }
  const wanted = options.httpsOnly ? "an https:// URL" : "an http:// or https:// URL";
  if (!HTTP_SCHEME.test(value) || (options.httpsOnly && !/^https:/i.test(value))) {
    const scheme = ANY_SCHEME.exec(value)?.[1];
    return {
      rule: "invalid-url",
      predicate: scheme ? `must be ${wanted}, not a ${scheme.toLowerCase()}: URL` : `must be ${wanted}`,
      hint: "write the full address, for example https://grafana.lab.example.com",
    };
  }
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    return { rule: "invalid-url", predicate: `must be ${wanted}` };
  }
  if (parsed.username !== "" || parsed.password !== "") {
    registerUrlCredentials(parsed);
    return {
      rule: "url-credentials",
      predicate: "must not contain a username or password",
      hint: "remove the user:password@ part and put the credential in the target's token/password field as ${secret:NAME}",
    };
  }
  if (parsed.hostname === "") return { rule: "invalid-url", predicate: "must name a host" };
  return undefined;
}

/**
 * The password of user:password@ is a secret; a lone user@ part is often a token (GitHub, ntfy)
 * but registering short user names would mask ordinary words everywhere, hence the length floor.
 */
function registerUrlCredentials(parsed: URL): void {
  const secret =
    parsed.password !== "" ? parsed.password : parsed.username.length >= 8 ? parsed.username : "";
  if (secret === "") return;
  redactor.register(secret);
  try {
    redactor.register(decodeURIComponent(secret));
  } catch {
    // a malformed escape stays registered in its raw form, which is what appears in output
  }
}

export function checkUrl(value: string, ctx: z.RefinementCtx, options: { httpsOnly?: boolean } = {}): void {
  if (refuseReference(value, ctx)) return;
  const problem = urlProblem(value, options);
  if (problem) reportRule(ctx, problem.rule, problem.predicate, problem.hint ? { hint: problem.hint } : {});
}

/** An absolute http(s) URL with a host and no credentials in it. */
export const url = withInfo(
  z
    .string()
    .superRefine((value, ctx) => checkUrl(value, ctx))
    .meta({ format: "uri", pattern: "^[hH][tT][tT][pP][sS]?://", maxLength: MAX_URL_LENGTH }),
  { type: "URL", expected: "an http:// or https:// URL" },
);
