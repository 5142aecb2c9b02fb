/**
 * Durations as Grafana's alerting writes them (Prometheus model.Duration): "5m", "1h30m". The
 * server re-renders what it parsed ("60s" comes back "1m"), so durations are compared as
 * milliseconds, never as text.
 */
const UNITS: ReadonlyArray<[string, number]> = [
  ["d", 86_400_000],
  ["h", 3_600_000],
  ["m", 60_000],
  ["s", 1000],
  ["ms", 1],
];
const PATTERN = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const PARSE_UNITS = [365 * 86_400_000, 7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1];

/** Milliseconds, or undefined when the text is not a duration; "" and "0" are zero. */
export function durationMs(text: string): number | undefined {
  if (text === "" || text === "0") return 0;
  const match = PATTERN.exec(text);
  if (!match) return undefined;
  return PARSE_UNITS.reduce((total, ms, index) => total + Number(match[index + 1] ?? 0) * ms, 0);
}

/** "1h30m" for 5,400,000; "0s" for 0. */
export function formatDurationMs(totalMs: number): string {
  if (totalMs <= 0) return "0s";
  let rest = totalMs;
  let out = "";
  for (const [unit, ms] of UNITS) {
    const count = Math.floor(rest / ms);
    if (count > 0) {
      out += `${count}${unit}`;
      rest -= count * ms;
    }
  }
  return out;
}
