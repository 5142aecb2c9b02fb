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
  return (await resolve(value, lookups)) as T;
}

async function resolve(value: unknown, lookups: AuthentikLookups): Promise<unknown> {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return Promise.all(value.map((item) => resolve(item, lookups)));
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
      (await lookups.groups()).get(record.$groupName),
      `group "${record.$groupName}"`,
      "declare it under identity.groups or create it in Authentik",
    );
  }
  const entries = await Promise.all(
    Object.entries(record).map(async ([key, item]) => [key, await resolve(item, lookups)] as const),
  );
  return Object.fromEntries(entries);
}

function found(pk: string | undefined, what: string, hint: string): string {
  if (pk === undefined) throw new AutopilotError("not-found", `authentik has no ${what}`, { hint });
  return pk;
}
