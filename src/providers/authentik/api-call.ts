import { AutopilotError } from "../../errors/autopilot-error.ts";
import type { HttpClient } from "../../http/types.ts";
import { FetchError, RequiredError, ResponseError } from "./client.ts";

/**
 * Runs one @goauthentik/api call and gives back Autopilot's typed errors instead of the
 * generated client's generic ones: a non-2xx becomes the HttpError our HTTP core built for that
 * response (NotFound, Invalid with the DRF field errors, Unavailable with its outcome…), and a
 * transport failure becomes the error the core threw. The engine decides from those.
 */
export async function callAuthentik<T>(http: HttpClient, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ResponseError) {
      throw (
        http.errorFor(error.response) ??
        new AutopilotError(
          "internal",
          `authentik answered ${error.response.status} and no typed error was recorded`,
        )
      );
    }
    if (error instanceof FetchError) throw error.cause;
    if (error instanceof RequiredError) {
      throw new AutopilotError("internal", `authentik client refused the call: ${error.field} is required`);
    }
    throw error;
  }
}

export interface Page<T> {
  pagination: { next: number };
  results: T[];
}

/**
 * Every item of a paginated list: page numbers, 0 meaning "no next page" (Authentik's
 * pagination), 100 per page, which is the server's cap.
 */
export async function listAll<T>(
  http: HttpClient,
  fetchPage: (page: number, pageSize: number) => Promise<Page<T>>,
): Promise<T[]> {
  const items: T[] = [];
  let page = 1;
  for (let guard = 0; guard < 10_000; guard++) {
    const result = await callAuthentik(http, () => fetchPage(page, 100));
    items.push(...result.results);
    if (!result.pagination.next || result.pagination.next <= page) return items;
    page = result.pagination.next;
  }
  throw new AutopilotError("internal", "authentik pagination did not end after 10,000 pages");
}
