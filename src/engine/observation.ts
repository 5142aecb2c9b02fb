import type { ResourceKind } from "./resource-kind.ts";

/** What the targets hold right now, read once per kind. */
export interface Observation {
  /** "target/kind" → natural key → observed object */
  readonly objects: ReadonlyMap<string, ReadonlyMap<string, unknown>>;
  /** Targets that could not be read this time, with why; their resources are not planned. */
  readonly unavailable: ReadonlyMap<string, Error>;
}

export function kindId(target: string, kind: string): string {
  return `${target}/${kind}`;
}

export function observedObject(observation: Observation, target: string, kind: string, key: string): unknown {
  return observation.objects.get(kindId(target, kind))?.get(key);
}

/** Indexes a kind's list by natural key; two objects with one key keep the first and report it. */
export function indexByKey(
  kind: ResourceKind,
  objects: readonly unknown[],
): { byKey: Map<string, unknown>; duplicates: string[] } {
  const byKey = new Map<string, unknown>();
  const duplicates: string[] = [];
  for (const object of objects) {
    const key = kind.keyOf(object);
    if (byKey.has(key)) duplicates.push(key);
    else byKey.set(key, object);
  }
  return { byKey, duplicates };
}
