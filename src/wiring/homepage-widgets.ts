import type { Service, Widget } from "../catalog/service.ts";
import type { ResourceRef } from "../engine/resource.ts";
import { autopilotFileVariable, placeholderFor } from "../providers/homepage/placeholders.ts";
import { AUTO_VERSION, checkWidgetSpec } from "../providers/homepage/widget-check.ts";
import { widgetType } from "../providers/homepage/widget-types.ts";
import { parseSecretReference, type SecretReference } from "../secrets/reference.ts";

/**
 * A catalogue widget as it goes into services.yaml. Every secret reference becomes a quoted
 * `{{HOMEPAGE_FILE_AUTOPILOT_…}}` placeholder backed by a secret file (one file per distinct
 * reference); grafana and authentik widgets without credentials get the tokens Autopilot made
 * for Homepage, and always a `version` (Homepage reads a missing one as neither 1 nor 2); a
 * missing `url` defaults to the service's href. A widget Autopilot only guessed (from the image)
 * that still lacks a required option is left out with a warning instead of breaking the tile.
 */
export interface WidgetCredentials {
  /** Reference of the Grafana service-account token for Homepage, when Grafana is a target. */
  readonly grafana?: { readonly reference: string; readonly producer?: ResourceRef };
  /** Reference of the Authentik API token for Homepage, when Authentik is a target. */
  readonly authentik?: { readonly reference: string; readonly producer?: ResourceRef };
}

export interface SecretNeed {
  readonly variable: string;
  readonly source: string;
  readonly producer?: ResourceRef;
}

export interface RenderedWidget {
  readonly widget?: Record<string, unknown>;
  readonly secrets: SecretNeed[];
  readonly warnings: string[];
  /** Autopilot's own token is needed (so the wiring asks the target for one). */
  readonly uses: ("grafana" | "authentik")[];
}

export function renderWidget(
  service: Service,
  widget: Widget,
  credentials: WidgetCredentials,
  inferred: boolean,
): RenderedWidget {
  const spec = widgetType(widget.type);
  const implemented = spec?.aliasOf ?? widget.type;
  const result: Record<string, unknown> = { ...widget };
  const uses: RenderedWidget["uses"] = [];
  const secrets: SecretNeed[] = [];
  if (result.url === undefined && service.href !== undefined) result.url = service.href;
  const version = Object.hasOwn(AUTO_VERSION, implemented) ? AUTO_VERSION[implemented] : undefined;
  if (result.version === undefined && version !== undefined) result.version = version;
  if (
    implemented === "grafana" &&
    credentials.grafana &&
    result.username === undefined &&
    result.password === undefined
  ) {
    // Grafana takes a service-account token as the password of the user "api_key".
    result.username = "api_key";
    result.password = credentials.grafana.reference;
    uses.push("grafana");
  }
  if (implemented === "authentik" && credentials.authentik && result.key === undefined) {
    result.key = credentials.authentik.reference;
    uses.push("authentik");
  }
  const producers: Record<string, ResourceRef | undefined> = {
    ...(credentials.grafana ? { [credentials.grafana.reference]: credentials.grafana.producer } : {}),
    ...(credentials.authentik ? { [credentials.authentik.reference]: credentials.authentik.producer } : {}),
  };
  const placeholders = (value: unknown): unknown => {
    if (typeof value === "string") {
      const reference = referenceIn(value);
      if (!reference) return value;
      const variable = variableFor(reference);
      const producer = producers[value];
      secrets.push({ variable, source: value, ...(producer ? { producer } : {}) });
      return placeholderFor(variable);
    }
    if (Array.isArray(value)) return value.map(placeholders);
    if (value !== null && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, placeholders(item)]));
    }
    return value;
  };
  const rendered = placeholders(result) as Record<string, unknown>;
  const check = checkWidgetSpec(rendered, { autoCredentials: new Set() });
  if (check.errors.length > 0) {
    const reasons = check.errors.map((issue) => `${issue.option} ${issue.reason}`).join("; ");
    return {
      secrets: [],
      uses: [],
      warnings: [
        inferred
          ? `service ${service.name}: no ${widget.type} widget (recognised from the image) because ${reasons}; add homepage.widget.* labels to complete it`
          : `service ${service.name}: widget left out because ${reasons}`,
      ],
    };
  }
  return { widget: rendered, secrets, warnings: [], uses };
}

function referenceIn(value: string): SecretReference | undefined {
  try {
    return parseSecretReference(value);
  } catch {
    return undefined;
  }
}

/** A readable variable per reference: ${secret:homepage_sonarr_key} → HOMEPAGE_FILE_AUTOPILOT_HOMEPAGE_SONARR_KEY. */
export function variableFor(reference: SecretReference): string {
  const readable =
    reference.kind === "secret"
      ? reference.name
      : reference.kind === "env"
        ? `env_${reference.name}`
        : reference.kind === "vault"
          ? `vault_${reference.path}_${reference.key}`
          : "file";
  const exact = /^[A-Za-z0-9_]+$/.test(readable) && reference.kind !== "file";
  // Sanitising can map two references to one name ("a.b", "a_b"): a short hash keeps them apart.
  return autopilotFileVariable(exact ? readable : `${readable}_${shortHash(reference.raw)}`);
}

function shortHash(text: string): string {
  let hash = 2166136261;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 16777619);
  }
  return (hash >>> 0).toString(16).padStart(8, "0");
}
