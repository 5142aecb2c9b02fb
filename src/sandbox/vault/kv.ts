import { z } from "zod";
import type { SimResponse } from "../common/sim-server.ts";
import type { Capability } from "./policies.ts";
import { envelope, notFound, parseJson, vaultError, vaultTime } from "./responses.ts";

/**
 * KV secrets engine version 2: versioned secrets under `{mount}/data/{path}`, their metadata
 * under `{mount}/metadata/{path}`. One store per namespace, so a namespace header isolates data.
 */
interface KvVersion {
  data: Record<string, unknown>;
  createdTime: number;
  deletionTime: number | null;
}

interface KvEntry {
  versions: Map<number, KvVersion>;
  currentVersion: number;
  createdTime: number;
  updatedTime: number;
}

export type KvWriteResult = { ok: true; version: number; createdTime: number } | { ok: false };

export class KvStore {
  readonly #mounts: Set<string>;
  readonly #spaces = new Map<string, Map<string, KvEntry>>();
  readonly #now: () => number;

  constructor(mounts: Iterable<string>, now: () => number) {
    this.#mounts = new Set(mounts);
    this.#now = now;
  }

  hasMount(mount: string): boolean {
    return this.#mounts.has(mount);
  }

  mount(mount: string): void {
    this.#mounts.add(mount);
  }

  /** Writes a new version; with `cas`, only if the current version is exactly that (0: absent). */
  write(
    namespace: string,
    mount: string,
    path: string,
    data: Record<string, unknown>,
    cas?: number,
  ): KvWriteResult {
    const space = this.#space(namespace);
    const key = `${mount}/${path}`;
    const existing = space.get(key);
    if (cas !== undefined && cas !== (existing?.currentVersion ?? 0)) return { ok: false };
    const now = this.#now();
    const entry = existing ?? { versions: new Map(), currentVersion: 0, createdTime: now, updatedTime: now };
    entry.currentVersion += 1;
    entry.updatedTime = now;
    entry.versions.set(entry.currentVersion, {
      data: structuredClone(data),
      createdTime: now,
      deletionTime: null,
    });
    space.set(key, entry);
    return { ok: true, version: entry.currentVersion, createdTime: now };
  }

  read(namespace: string, mount: string, path: string, version?: number) {
    const entry = this.#space(namespace).get(`${mount}/${path}`);
    if (!entry) return undefined;
    const number = version && version > 0 ? version : entry.currentVersion;
    const found = entry.versions.get(number);
    return found ? { version: number, ...found } : undefined;
  }

  entry(namespace: string, mount: string, path: string): KvEntry | undefined {
    return this.#space(namespace).get(`${mount}/${path}`);
  }

  softDeleteLatest(namespace: string, mount: string, path: string): void {
    const current = this.read(namespace, mount, path);
    if (current && current.deletionTime === null) {
      const entry = this.entry(namespace, mount, path) as KvEntry;
      (entry.versions.get(current.version) as KvVersion).deletionTime = this.#now();
    }
  }

  deleteAll(namespace: string, mount: string, path: string): void {
    this.#space(namespace).delete(`${mount}/${path}`);
  }

  /** Keys directly under `folder` ("" or ending in "/"); sub-folders end with "/". */
  list(namespace: string, mount: string, folder: string): string[] {
    const prefix = `${mount}/${folder}`;
    const keys = new Set<string>();
    for (const key of this.#space(namespace).keys()) {
      if (!key.startsWith(prefix)) continue;
      const rest = key.slice(prefix.length);
      const slash = rest.indexOf("/");
      keys.add(slash < 0 ? rest : rest.slice(0, slash + 1));
    }
    return [...keys].sort();
  }

  #space(namespace: string): Map<string, KvEntry> {
    let space = this.#spaces.get(namespace);
    if (!space) {
      space = new Map();
      this.#spaces.set(namespace, space);
    }
    return space;
  }
}

/** What a KV route needs from the server: the request, and a policy check for one ACL path. */
export interface KvRequest {
  method: string;
  namespace: string;
  mount: string;
  /** Path inside the mount, without leading or trailing slash ("" for the mount's root). */
  path: string;
  query: URLSearchParams;
  rawBody: Buffer;
  /** undefined when allowed, the 403 answer otherwise. */
  authorize(aclPath: string, capability: Capability): SimResponse | undefined;
}

const writeBodySchema = z.object({
  data: z.record(z.string(), z.unknown()).optional(),
  options: z
    .object({ cas: z.number().int().min(0).optional() })
    .passthrough()
    .optional(),
});

export function handleKvData(kv: KvStore, request: KvRequest): SimResponse {
  const { namespace, mount, path } = request;
  const aclPath = `${mount}/data/${path}`;
  if (request.method === "GET") {
    const denied = request.authorize(aclPath, "read");
    if (denied) return denied;
    const version = Number(request.query.get("version") ?? 0);
    const found = kv.read(namespace, mount, path, Number.isInteger(version) ? version : 0);
    if (!found) return notFound();
    const metadata = {
      created_time: vaultTime(found.createdTime),
      custom_metadata: null,
      deletion_time: found.deletionTime === null ? "" : vaultTime(found.deletionTime),
      destroyed: false,
      version: found.version,
    };
    // A soft-deleted version answers 404 but still shows its metadata, as Vault does.
    if (found.deletionTime !== null) return envelope({ data: { data: null, metadata } }, 404);
    return envelope({ data: { data: found.data, metadata } });
  }
  if (request.method === "DELETE") {
    const denied = request.authorize(aclPath, "delete");
    if (denied) return denied;
    kv.softDeleteLatest(namespace, mount, path);
    return { status: 204 };
  }
  const exists = kv.entry(namespace, mount, path) !== undefined;
  const denied = request.authorize(aclPath, exists ? "update" : "create");
  if (denied) return denied;
  const parsed = parseJson(request.rawBody);
  if (!parsed.ok) return parsed.response;
  const body = writeBodySchema.safeParse(parsed.value);
  if (!body.success) return vaultError(400, "error parsing options or data");
  if (!body.data.data) return vaultError(400, "no data provided");
  const result = kv.write(namespace, mount, path, body.data.data, body.data.options?.cas);
  if (!result.ok) return vaultError(400, "check-and-set parameter did not match the current version");
  return envelope({
    data: {
      created_time: vaultTime(result.createdTime),
      custom_metadata: null,
      deletion_time: "",
      destroyed: false,
      version: result.version,
    },
  });
}

export function handleKvMetadata(kv: KvStore, request: KvRequest, listing: boolean): SimResponse {
  const { namespace, mount, path } = request;
  if (listing) {
    const folder = path === "" ? "" : `${path}/`;
    const denied = request.authorize(`${mount}/metadata/${folder}`, "list");
    if (denied) return denied;
    const keys = kv.list(namespace, mount, folder);
    return keys.length === 0 ? notFound() : envelope({ data: { keys } });
  }
  const aclPath = `${mount}/metadata/${path}`;
  if (request.method === "DELETE") {
    const denied = request.authorize(aclPath, "delete");
    if (denied) return denied;
    kv.deleteAll(namespace, mount, path);
    return { status: 204 };
  }
  const denied = request.authorize(aclPath, "read");
  if (denied) return denied;
  const entry = kv.entry(namespace, mount, path);
  if (!entry || path === "") return notFound();
  const versions: Record<string, unknown> = {};
  for (const [number, version] of entry.versions) {
    versions[String(number)] = {
      created_time: vaultTime(version.createdTime),
      deletion_time: version.deletionTime === null ? "" : vaultTime(version.deletionTime),
      destroyed: false,
    };
  }
  return envelope({
    data: {
      cas_required: false,
      created_time: vaultTime(entry.createdTime),
      current_version: entry.currentVersion,
      custom_metadata: null,
      delete_version_after: "0s",
      max_versions: 0,
      oldest_version: 0,
      updated_time: vaultTime(entry.updatedTime),
      versions,
    },
  });
}
