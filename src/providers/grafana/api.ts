import type { z } from "zod";
import { AutopilotError } from "../../errors/autopilot-error.ts";
import { NotFoundError } from "../../http/errors.ts";
import type { HttpClient, HttpMethod, HttpRequest } from "../../http/types.ts";

/**
 * The few ways the Grafana kinds talk to Grafana, all through our HTTP core: every answer is
 * parsed with a zod schema before use (hard rule 3), routes are named for bounded metrics, and
 * alerting writes carry one provenance mode (see DISABLE_PROVENANCE).
 */

/**
 * Provenance mode of every alerting write: X-Disable-Provenance (only its presence matters)
 * stamps provenance "none", so contact points, rules and the policy tree Autopilot writes stay
 * editable in Grafana's UI — drift from a UI edit is then repaired by the next apply instead of
 * being impossible. One mode for every write: Grafana refuses switching an object between modes.
 */
export const DISABLE_PROVENANCE: Readonly<Record<string, string>> = { "x-disable-provenance": "true" };

/** Checks one answer against the fields Autopilot relies on; extra fields pass through. */
export function parsed<S extends z.ZodType>(schema: S, what: string, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new AutopilotError(
      "invalid",
      `grafana returned a ${what} Autopilot cannot read: ${issue?.path.join(".") || "(root)"} ${issue?.message}`,
      { hint: "this usually means a Grafana version this build does not support; run `autopilot doctor`" },
    );
  }
  return result.data;
}

export interface CallOptions {
  route: string;
  query?: HttpRequest["query"];
  body?: unknown;
  headers?: Record<string, string>;
  /** Without the target's credentials (health). */
  anonymous?: boolean;
}

/** One call; the answer parsed with `schema`. */
export async function call<S extends z.ZodType>(
  http: HttpClient,
  method: HttpMethod,
  path: string,
  schema: S,
  what: string,
  options: CallOptions,
): Promise<z.infer<S>> {
  const response = await http.request({
    method,
    path,
    route: options.route,
    ...(options.query ? { query: options.query } : {}),
    ...(options.body === undefined ? {} : { body: options.body }),
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.anonymous ? { anonymous: true } : {}),
  });
  return parsed(schema, what, response.body);
}

/** A GET whose 404 means "absent" rather than failure. */
export async function getIfExists<S extends z.ZodType>(
  http: HttpClient,
  path: string,
  schema: S,
  what: string,
  route: string,
): Promise<z.infer<S> | undefined> {
  try {
    return await call(http, "GET", path, schema, what, { route });
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

/** A DELETE of something that may already be gone: 404 counts as done. */
export async function deleteIfExists(
  http: HttpClient,
  path: string,
  route: string,
  options: { query?: HttpRequest["query"]; headers?: Record<string, string> } = {},
): Promise<void> {
  try {
    await http.request({ method: "DELETE", path, route, ...options });
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
}

/**
 * Every item of a page-numbered list (search APIs: `page` from 1, `perpage`/`limit`); one
 * request per page, stopping at the first short page.
 */
export async function allPages<T>(
  pageSize: number,
  fetchPage: (page: number) => Promise<readonly T[]>,
): Promise<T[]> {
  const items: T[] = [];
  for (let page = 1; page <= 10_000; page++) {
    const batch = await fetchPage(page);
    items.push(...batch);
    if (batch.length < pageSize) return items;
  }
  throw new AutopilotError("internal", "grafana pagination did not end after 10,000 pages");
}

/**
 * Reads of per-object details in flight at once. Deliberately above the HTTP core's per-target
 * concurrency: the core's bulkhead is the real bound, set per target in the config.
 */
export const DETAIL_READS = 32;

/** Runs `work` on every item with at most `limit` in flight (the HTTP core bounds it further). */
export async function mapConcurrently<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index] as T);
      }
    }),
  );
  return results;
}
