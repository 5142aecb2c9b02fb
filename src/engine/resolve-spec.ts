import { generatedSecretsIn, isGeneratedSecret, isOutputRef, type OutputRef } from "./resource.ts";

export interface SpecResolvers {
  /** The value of another resource's output, known because it was observed or just written. */
  output(ref: OutputRef): unknown;
  /** The generated secret's value, creating and storing it first when absent. */
  generatedSecret(name: string, length: number): Promise<string>;
}

/**
 * Replaces every placeholder in a spec with its value, for a write. The secrets are fetched
 * first (the only asynchronous part), then the walk is synchronous: a big apply resolves
 * thousands of specs, and a promise per field was a measurable share of its CPU time.
 */
export async function resolveSpec(value: unknown, resolvers: SpecResolvers): Promise<unknown> {
  const secrets = new Map<string, string>();
  for (const secret of generatedSecretsIn(value)) {
    if (!secrets.has(secret.$generatedSecret)) {
      secrets.set(
        secret.$generatedSecret,
        await resolvers.generatedSecret(secret.$generatedSecret, secret.length),
      );
    }
  }
  return resolveWith(value, resolvers, secrets);
}

function resolveWith(
  value: unknown,
  resolvers: SpecResolvers,
  secrets: ReadonlyMap<string, string>,
): unknown {
  if (isOutputRef(value)) return resolvers.output(value);
  if (isGeneratedSecret(value)) return secrets.get(value.$generatedSecret);
  if (Array.isArray(value)) return value.map((item) => resolveWith(item, resolvers, secrets));
  if (value !== null && typeof value === "object") {
    const resolved: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) resolved[key] = resolveWith(item, resolvers, secrets);
    return resolved;
  }
  return value;
}
