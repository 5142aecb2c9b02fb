import { z } from "zod";
import { allPages, call } from "../api.ts";
import type { GrafanaSession } from "../session.ts";

export const searchHitSchema = z
  .object({
    uid: z.string(),
    title: z.string(),
    type: z.string(),
    folderUid: z.string().optional(),
  })
  .passthrough();
export type SearchHit = z.infer<typeof searchHitSchema>;

const PAGE = 1000;

/**
 * Every folder or dashboard through /api/search, a page of 1,000 at a time; `folderUids`
 * narrows to what sits directly in those folders (repeated keys, as Grafana expects).
 */
export async function searchAll(
  session: GrafanaSession,
  type: "dash-folder" | "dash-db",
  folderUids?: readonly string[],
): Promise<SearchHit[]> {
  return allPages(PAGE, (page) =>
    call(session.http, "GET", "/api/search", z.array(searchHitSchema), "search result", {
      route: "/api/search",
      query: { type, limit: PAGE, page, ...(folderUids ? { folderUIDs: folderUids } : {}) },
    }),
  );
}
