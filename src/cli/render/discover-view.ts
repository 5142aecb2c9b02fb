import type { Catalogue } from "../../catalog/catalogue.ts";
import { SERVICE_FIELDS } from "../../catalog/merge.ts";
import type { FieldSource, Service } from "../../catalog/service.ts";
import { refusalMessage } from "../../discovery/container.ts";
import type { Colors } from "../output.ts";

/**
 * `autopilot discover`: each service with every field's value and where it came from (config,
 * label, inferred), then what was refused or left out and why. Values are what the catalogue
 * holds: credentials appear only as references or placeholders, never as values.
 */
const FIELDS = SERVICE_FIELDS;

export interface FieldView {
  readonly value: unknown;
  readonly source: FieldSource["kind"];
  readonly detail: string;
}

export function serviceFields(service: Service): Record<string, FieldView> {
  const record = service as unknown as Record<string, unknown>;
  const fields: Record<string, FieldView> = {};
  for (const field of FIELDS) {
    const value = record[field];
    const source = service.sources?.[field];
    if (value === undefined || (Array.isArray(value) && value.length === 0 && !source)) continue;
    fields[field] = { value, source: source?.kind ?? "inferred", detail: source?.detail ?? "default" };
  }
  for (const [key, value] of Object.entries(service.homepage ?? {})) {
    const source = service.sources?.[`homepage.${key}`];
    fields[`homepage.${key}`] = {
      value,
      source: source?.kind ?? "label",
      detail: source?.detail ?? `homepage.${key}`,
    };
  }
  return fields;
}

export function discoverJson(catalogue: Catalogue): Record<string, unknown> {
  return {
    services: catalogue.services.map((service) => ({
      name: service.name,
      group: service.group,
      slug: service.slug,
      origin: service.origin,
      ...(service.container ? { container: service.container } : {}),
      fields: serviceFields(service),
    })),
    refused: catalogue.refused.map((refusal) => ({ ...refusal, message: refusalMessage(refusal) })),
    errors: catalogue.errors,
    warnings: catalogue.warnings,
    failures: catalogue.failures.map((failure) => ({
      endpoint: failure.endpoint,
      error: failure.error.message,
    })),
  };
}

export function discoverText(catalogue: Catalogue, c: Colors): string {
  const lines: string[] = [];
  for (const service of catalogue.services) {
    const where = service.container
      ? ` ${c.dim(`(container ${service.container.name}, ${service.container.state}${service.container.health ? `, ${service.container.health}` : ""})`)}`
      : ` ${c.dim(`(${service.origin})`)}`;
    lines.push(`${c.bold(`${service.group} / ${service.name}`)}${where}`);
    const fields = Object.entries(serviceFields(service));
    const width = Math.max(...fields.map(([field]) => field.length));
    for (const [field, view] of fields) {
      const source = `${view.source} ${view.detail}`;
      lines.push(
        `  ${field.padEnd(width)}  ${shorten(display(view.value), 60).padEnd(60)}  ${sourceColour(view.source, c)(source)}`,
      );
    }
    lines.push("");
  }
  for (const refusal of catalogue.refused) lines.push(`${c.red("refused")}: ${refusalMessage(refusal)}`);
  for (const error of catalogue.errors) lines.push(`${c.red("error")}: ${error}`);
  for (const warning of catalogue.warnings) lines.push(`${c.yellow("warning")}: ${warning}`);
  for (const failure of catalogue.failures) {
    lines.push(`${c.red("unreachable")}: Docker ${failure.endpoint}: ${failure.error.message}`);
  }
  const summary = `${catalogue.services.length} service(s), ${catalogue.refused.length} refused, ${catalogue.errors.length} left out`;
  lines.push(summary);
  return lines.join("\n");
}

function display(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function sourceColour(kind: FieldSource["kind"], c: Colors): (text: string) => string {
  return kind === "config" ? c.green : kind === "label" ? c.cyan : c.dim;
}
