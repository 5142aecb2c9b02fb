import { z } from "zod";
import { reportRule, withInfo } from "./field-info.ts";
import { refuseReference } from "./fields.ts";

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const WHOLE = /^(?:\d{1,9}(?:ms|s|m|h|d))+$/;
const PART = /(\d+)(ms|s|m|h|d)/g;

/** The longest duration the config accepts; longer ones are typos (and overflow timers). */
export const MAX_DURATION_MS = 366 * UNIT_MS.d;

/**
 * Milliseconds in a duration such as "500ms", "30s", "1h30m" or "90d", or undefined when the
 * text is not one. A bare number is refused on purpose: "30" could mean seconds or minutes.
 */
export function parseDuration(text: string): number | undefined {
  if (!WHOLE.test(text)) return undefined;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(PART)) {
    total += Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  }
  return total;
}

/** A duration written as text, validated and turned into milliseconds. */
export const duration = withInfo(
  z
    .string()
    .superRefine((value, ctx) => {
      if (refuseReference(value, ctx)) return;
      const ms = parseDuration(value);
      if (ms === undefined) {
        reportRule(ctx, "invalid-duration", "must be a duration like 500ms, 30s, 10m, 2h, 90d or 1h30m");
      } else if (ms === 0 || ms > MAX_DURATION_MS) {
        reportRule(ctx, "invalid-duration", "must be longer than zero and at most 366d");
      }
    })
    .meta({ pattern: WHOLE.source, examples: ["30s", "10m", "1h30m"] })
    .transform((value) => parseDuration(value) as number),
  { type: "duration", expected: "a duration like 30s, 10m or 1h30m" },
);
