import { z } from "zod";

/**
 * Vault ACL rules, reduced to what the simulator needs: a path (exact, with `+` matching one
 * segment, or ending in `*` for a prefix) and its capabilities. As in Vault, the most specific
 * matching rule decides, and `deny` on it wins over everything.
 */
export const capabilitySchema = z.enum([
  "create",
  "read",
  "update",
  "patch",
  "delete",
  "list",
  "sudo",
  "deny",
]);
export type Capability = z.infer<typeof capabilitySchema>;

export const policyRuleSchema = z.object({
  path: z.string().min(1),
  capabilities: z.array(capabilitySchema).min(1),
});
export type PolicyRule = z.infer<typeof policyRuleSchema>;

export function allows(rules: readonly PolicyRule[], path: string, capability: Capability): boolean {
  const rule = mostSpecificRule(rules, path);
  if (!rule || rule.capabilities.includes("deny")) return false;
  return rule.capabilities.includes(capability);
}

function mostSpecificRule(rules: readonly PolicyRule[], path: string): PolicyRule | undefined {
  let best: { rule: PolicyRule; score: number } | undefined;
  for (const rule of rules) {
    const score = matchScore(rule.path, path);
    if (score !== undefined && (!best || score > best.score)) best = { rule, score };
  }
  return best?.rule;
}

/** Higher is more specific: an exact match beats any glob, a longer literal prefix beats a shorter one. */
function matchScore(pattern: string, path: string): number | undefined {
  const prefix = pattern.endsWith("*");
  const body = prefix ? pattern.slice(0, -1) : pattern;
  const patternParts = body.split("/");
  const pathParts = path.split("/");
  if (prefix ? pathParts.length < patternParts.length : pathParts.length !== patternParts.length) {
    return undefined;
  }
  let literal = 0;
  for (let i = 0; i < patternParts.length; i++) {
    const want = patternParts[i] as string;
    const have = pathParts[i] as string;
    const last = i === patternParts.length - 1;
    if (want === "+") {
      if (have === "") return undefined;
    } else if (prefix && last) {
      if (!have.startsWith(want)) return undefined;
      literal += want.length;
    } else if (want !== have) {
      return undefined;
    } else {
      literal += want.length + 1;
    }
  }
  return literal * 2 + (prefix ? 0 : 1);
}
