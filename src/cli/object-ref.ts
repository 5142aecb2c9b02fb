import type { ResourceRef } from "../engine/resource.ts";
import type { Provider } from "../engine/resource-kind.ts";
import { AutopilotError } from "../errors/autopilot-error.ts";

/**
 * Reads `target/kind/key` or, when the kind name is unique across targets, `kind/key`
 * (`authentik/application/grafana`, `application/grafana`). Keys may contain slashes.
 */
export function parseObjectRef(text: string, providers: readonly Provider[]): ResourceRef {
  const parts = text.split("/");
  const known = providers.flatMap((provider) =>
    provider.kinds.map((kind) => ({ target: provider.target, kind: kind.kind })),
  );
  const [first = "", second = "", ...rest] = parts;
  const exact = known.find((k) => k.target === first && k.kind === second);
  if (exact && rest.length > 0) return { ...exact, key: rest.join("/") };
  const byKind = known.filter((k) => k.kind === first);
  if (byKind.length === 1 && parts.length > 1)
    return { target: byKind[0]!.target, kind: first, key: parts.slice(1).join("/") };
  const kinds = known.map((k) => `${k.target}/${k.kind}`).join(", ");
  throw new AutopilotError(
    "invalid",
    byKind.length > 1
      ? `"${first}" is a kind of several targets; write TARGET/${first}/KEY`
      : `"${text}" is not KIND/KEY of a configured target`,
    { hint: kinds ? `known kinds: ${kinds}` : "configure a target first" },
  );
}
