import { z } from "zod";
import { parseSecretReference, SecretReferenceError } from "../secrets/reference.ts";
import { isCredentialKey } from "./credential-keys.ts";
import { reportRule, withInfo } from "./field-info.ts";
import { textField } from "./fields.ts";
import { checkSecretReference } from "./secret-fields.ts";
import { url } from "./url-field.ts";

const WIDGET_TYPE = /^[a-z][a-zA-Z0-9_-]{0,40}$/;

const widgetType = textField(
  { type: "identifier", expected: "a Homepage widget type like proxmox" },
  [
    {
      rule: "invalid-widget-type",
      test: (value) => WIDGET_TYPE.test(value),
      predicate: "must be a Homepage widget type: a letter, then up to 40 letters, digits, '_' or '-'",
    },
  ],
  { pattern: WIDGET_TYPE.source },
);

const scalar = z.union([z.string(), z.number(), z.boolean()]);
const widgetValue = withInfo(z.union([scalar, z.array(scalar)]), {
  type: "scalar or list",
  expected: "text, a number, true/false or a list of those",
});

function checkWidgetStrings(value: unknown, ctx: z.RefinementCtx, path: (string | number)[]): void {
  const strings = Array.isArray(value) ? value : [value];
  strings.forEach((item, index) => {
    if (typeof item !== "string") return;
    try {
      parseSecretReference(item);
    } catch (error) {
      const reason = error instanceof SecretReferenceError ? error.message : "it is malformed";
      reportRule(ctx, "invalid-secret-reference", `is not a valid secret reference: ${reason}`, {
        path: Array.isArray(value) ? [...path, index] : path,
      });
    }
  });
}

/**
 * A Homepage service widget. Its options depend on the widget type, so the mapping is open;
 * what is closed is the shape of the values and the rule that a key naming a credential
 * (`password`, `key`, `apiKey`, `token`...) holds a secret reference. Other keys, such as a
 * `username`, may hold a reference too.
 */
export const widgetSchema = z
  .object({
    type: widgetType.describe("Homepage widget type, e.g. proxmox, grafana, sonarr."),
    url: url.optional().describe("URL the widget queries (usually the service's internal address)."),
  })
  .catchall(widgetValue)
  .superRefine((widget, ctx) => {
    for (const [key, value] of Object.entries(widget)) {
      if (key === "type" || key === "url") continue;
      if (isCredentialKey(key)) checkSecretReference(value, ctx, [key]);
      else checkWidgetStrings(value, ctx, [key]);
    }
  })
  .describe(
    "Homepage widget: `type`, `url` and the widget's own options (text, numbers, booleans or lists of them). Keys naming a credential (password, key, apiKey, token, secret...) must be secret references; other options (a username) may be references too.",
  );
