import { AutopilotError } from "../../errors/autopilot-error.ts";

/**
 * Names the config uses for objects Autopilot does not manage but must point at: flows by slug,
 * the signing keypair by name, scope mappings by their `managed` id, built-in groups by name.
 * A spec carries them as markers; the kind's `prepare` swaps each for the object's pk.
 */
export type LookupMarker =
  | { $flow: string }
  | { $keypair: string }
  | { $scopeMapping: string }
  | { $groupName: string };

export interface AuthentikLookups {
  flows: ReadonlyMap<string, string>;
  keypairs: ReadonlyMap<string, string>;
  scopeMappings: ReadonlyMap<string, string>;
  groups(): Promise<ReadonlyMap<string, string>>;
}

export const flow = (slug: string): LookupMarker => ({ $flow: slug });
export const keypair = (name: string): LookupMarker => ({ $keypair: name });
export const scopeMapping = (managed: string): LookupMarker => ({ $scopeMapping: managed });
export const groupNamed = (name: string): LookupMarker => ({ $groupName: name });

/** Replaces every lookup marker in a spec with the pk it names; throws naming what is missing. */
export async function resolveLookups<T>(value: T, lookups: AuthentikLookups): Promise<T> {
  // Only groups by name need a request (made once, on first use); the rest resolve in one
  // synchronous walk, not a promise per object of every spec (thousands of them in a big plan).
  const groups = mentionsGroupName(value) ? await lookups.groups() : undefined;
  return resolve(value, lookups, groups) as T;
}

function mentionsGroupName(value: unknown): boolean {
  if (value === null || typeof value !== "object") return false;
  if (Array.isArray(value)) return value.some(mentionsGroupName);
  const record = value as Record<string, unknown>;
  return typeof record.$groupName === "string" || Object.values(record).some(mentionsGroupName);
}

function resolve(
  value: unknown,
  lookups: AuthentikLookups,
  groups: ReadonlyMap<string, string> | undefined,
): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => resolve(item, lookups, groups));
  const record = value as Record<string, unknown>;
  if (typeof record.$flow === "string") {
    return found(
      lookups.flows.get(record.$flow),
      `flow "${record.$flow}"`,
      "the default flows are created by Authentik's blueprints at first start; check Flows & Stages",
    );
  }
  if (typeof record.$keypair === "string") {
    return found(
      lookups.keypairs.get(record.$keypair),
      `certificate keypair "${record.$keypair}"`,
      "Authentik creates it at start-up; check System › Certificates",
    );
  }
  if (typeof record.$scopeMapping === "string") {
    return found(
      lookups.scopeMappings.get(record.$scopeMapping),
      `scope mapping "${record.$scopeMapping}"`,
      "check Customization › Property Mappings",
    );
  }
  if (typeof record.$groupName === "string") {
    return found(
      groups?.get(record.$groupName),
      `group "${record.$groupName}"`,
      "declare it under identity.groups or create it in Authentik",
    );
  }
  const resolved: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(record)) resolved[key] = resolve(item, lookups, groups);
  return resolved;
}

function found(pk: string | undefined, what: string, hint: string): string {
  if (pk === undefined) throw new AutopilotError("not-found", `authentik has no ${what}`, { hint });
  return pk;
}
