/**
 * Versions as numbers we can compare: "2026.8.3" → [2026, 8, 3]; "v13.0.1" → [13, 0, 1].
 * Anything after the numbers (-rc1, +security) is ignored.
 */
export function parseVersion(text: string): number[] | undefined {
  const match = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(text.trim());
  if (!match) return undefined;
  return [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)];
}

export function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** True when `version` lies in [min, max] comparing only the first `depth` parts. */
export function versionWithin(version: string, min: string, max: string, depth = 2): boolean {
  const parts = parseVersion(version)?.slice(0, depth);
  const low = parseVersion(min)?.slice(0, depth);
  const high = parseVersion(max)?.slice(0, depth);
  if (!parts || !low || !high) return false;
  return compareVersions(parts, low) >= 0 && compareVersions(parts, high) <= 0;
}
