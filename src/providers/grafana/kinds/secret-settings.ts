import type { GrafanaSession } from "../session.ts";

/**
 * The config names secrets by reference (`${secret:prom_password}`); a kind's `prepare` swaps
 * each reference for its value, which the resolver has already registered with the redactor.
 * Values that are not references come back unchanged.
 */
export async function resolveSecretMap(
  session: GrafanaSession,
  values: Readonly<Record<string, string>>,
): Promise<Record<string, string>> {
  const entries = await Promise.all(
    Object.entries(values).map(async ([key, value]) => [key, await session.resolveSecret(value)] as const),
  );
  return Object.fromEntries(entries);
}
