/**
 * `Retry-After` (RFC 9110 §10.2.3): either a number of seconds or an HTTP date. Servers send it
 * with 429 and 503 to say when asking again makes sense; waiting that long instead of our own
 * backoff is both politer and faster to succeed.
 */

/** We never wait longer than this for one retry, whatever the server asks. */
export const MAX_RETRY_AFTER_MS = 60_000;

/**
 * The wait the header asks for, in milliseconds (0 for a date in the past), or undefined when
 * the header is absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Only an HTTP date is accepted, not any text Date.parse happens to understand.
  if (!/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** What we actually wait: the server's wish, capped. */
export function retryAfterDelay(retryAfterMs: number): number {
  return Math.min(Math.max(0, retryAfterMs), MAX_RETRY_AFTER_MS);
}
