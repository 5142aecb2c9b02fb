import { logger } from "../observability/logger.ts";
import { histogram } from "../observability/metrics.ts";
import { indexByKey, kindId, type Observation } from "./observation.ts";
import type { DesiredResource, ResourceRef } from "./resource.ts";
import type { Provider } from "./resource-kind.ts";

const observeSeconds = histogram("observe_duration_seconds", "Time to list every object of one kind", [
  "target",
  "kind",
]);

export interface Connected {
  readonly sessions: ReadonlyMap<string, unknown>;
  readonly unavailable: ReadonlyMap<string, Error>;
}

/** Connects to every target at once; a target that fails is reported, not fatal. */
export async function connectProviders(providers: readonly Provider[]): Promise<Connected> {
  const sessions = new Map<string, unknown>();
  const unavailable = new Map<string, Error>();
  await Promise.all(
    providers.map(async (provider) => {
      try {
        sessions.set(provider.target, await provider.connect());
      } catch (error) {
        unavailable.set(provider.target, asError(error));
      }
    }),
  );
  return { sessions, unavailable };
}

/**
 * Reads current state with one list per kind (paged inside the kind), all kinds of all targets
 * concurrently. Only kinds something refers to are listed. If any list of a target fails, the
 * whole target counts as unavailable: planning against half a picture could create duplicates.
 */
export async function observeTargets(
  providers: readonly Provider[],
  connected: Connected,
  wanted: readonly (DesiredResource | ResourceRef)[],
): Promise<Observation> {
  const objects = new Map<string, Map<string, unknown>>();
  const unavailable = new Map(connected.unavailable);
  const wantedKinds = new Set(
    wanted.map((item) =>
      "ref" in item ? kindId(item.ref.target, item.ref.kind) : kindId(item.target, item.kind),
    ),
  );
  await Promise.all(
    providers.flatMap((provider) =>
      provider.kinds
        .filter((kind) => wantedKinds.has(kindId(provider.target, kind.kind)))
        .map(async (kind) => {
          if (!connected.sessions.has(provider.target)) return;
          const session = connected.sessions.get(provider.target);
          const stop = observeSeconds.startTimer({ target: provider.target, kind: kind.kind });
          try {
            const { byKey, duplicates } = indexByKey(kind, await kind.list(session));
            if (duplicates.length > 0) {
              logger().warn(
                { target: provider.target, kind: kind.kind, keys: duplicates },
                "objects share a natural key; the first one is used",
              );
            }
            objects.set(kindId(provider.target, kind.kind), byKey);
          } catch (error) {
            if (!unavailable.has(provider.target)) unavailable.set(provider.target, asError(error));
          } finally {
            stop();
          }
        }),
    ),
  );
  for (const target of unavailable.keys()) {
    for (const key of [...objects.keys()]) if (key.startsWith(`${target}/`)) objects.delete(key);
  }
  return { objects, unavailable };
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
