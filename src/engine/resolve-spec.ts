import { isGeneratedSecret, isOutputRef, type OutputRef } from "./resource.ts";

export interface SpecResolvers {
  /** The value of another resource's output, known because it was observed or just written. */
  output(ref: OutputRef): unknown;
  /** The generated secret's value, creating and storing it first when absent. */
  generatedSecret(name: string, length: number): Promise<string>;
}

/** Replaces every placeholder in a spec with its value, for a write. */
export async function resolveSpec(value: unknown, resolvers: SpecResolvers): Promise<unknown> {
  if (isOutputRef(value)) return resolvers.output(value);
  if (isGeneratedSecret(value)) return resolvers.generatedSecret(value.$generatedSecret, value.length);
  if (Array.isArray(value)) return Promise.all(value.map((item) => resolveSpec(item, resolvers)));
  if (value !== null && typeof value === "object") {
    const entries = await Promise.all(
      Object.entries(value).map(async ([key, item]) => [key, await resolveSpec(item, resolvers)] as const),
    );
    return Object.fromEntries(entries);
  }
  return value;
}
