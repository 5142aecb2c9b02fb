/**
 * Prometheus-style durations, as Grafana's alerting (de)serialises `for` and `keep_firing_for`.
 * The server re-renders what it parsed, so "60s" comes back as "1m" and "90m" as "1h30m": one
 * more way a client that compares raw JSON sees drift that is not there.
 */
const UNITS: ReadonlyArray<[string, number]> = [
  ["y", 365 * 24 * 3600_000],
  ["w", 7 * 24 * 3600_000],
  ["d", 24 * 3600_000],
  ["h", 3600_000],
  ["m", 60_000],
  ["s", 1000],
  ["ms", 1],
];
const PATTERN = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** Milliseconds, or undefined when the text is not a Prometheus duration. */
export function parseDuration(text: string): number | undefined {
  if (text === "0") return 0;
  const match = PATTERN.exec(text);
  if (text === "" || !match) return undefined;
  return UNITS.reduce((total, [, ms], index) => total + Number(match[index + 1] ?? 0) * ms, 0);
}

/** model.Duration.String(): years and weeks only when exact. */
export function formatDuration(totalMs: number): string {
  if (totalMs === 0) return "0s";
  let rest = totalMs;
  let out = "";
  for (const [unit, ms] of UNITS) {
    if ((unit === "y" || unit === "w") && rest % ms !== 0) continue;
    const count = Math.floor(rest / ms);
    if (count > 0) {
      out += `${count}${unit}`;
      rest -= count * ms;
    }
  }
  return out;
}
