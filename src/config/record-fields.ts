import { z } from "zod";
import { looksLikeReference } from "../secrets/reference.ts";
import { reportRule, withInfo } from "./field-info.ts";
import { labelName, labelValue, REFERENCE_NOT_ALLOWED_HINT } from "./fields.ts";

function refuseNestedReferences(value: unknown, ctx: z.RefinementCtx, path: (string | number)[]): void {
  if (typeof value === "string") {
    if (looksLikeReference(value)) {
      reportRule(ctx, "reference-not-allowed", "cannot hold a secret reference", {
        path,
        hint: REFERENCE_NOT_ALLOWED_HINT,
      });
    }
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => {
      refuseNestedReferences(item, ctx, [...path, index]);
    });
  } else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) refuseNestedReferences(item, ctx, [...path, key]);
  }
}

/**
 * Free-form, non-secret settings passed through to a target as JSON (Grafana jsonData, Authentik
 * group attributes). References are refused because these are sent and stored in clear text;
 * secrets go in the matching secure field.
 */
export const plainSettings = withInfo(
  z.record(z.string(), z.unknown()).superRefine((value, ctx) => refuseNestedReferences(value, ctx, [])),
  { type: "mapping", expected: "a mapping of settings" },
);

/** Alert labels and annotations: label names to text. */
export const labelMap = withInfo(z.record(labelName, labelValue), {
  type: "mapping of text",
  expected: "a mapping from label names to text",
});
