import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Document, parse } from "yaml";
import type { DiscoveredContainer } from "../../discovery/container.ts";
import { servicesFromContainer } from "../../discovery/container-service.ts";
import { redactor } from "../../secrets/redactor.ts";
import { homepageResources } from "../../wiring/homepage.ts";
import { fitsPlaceholder } from "./kinds/secret-files.ts";
import { upsertServiceEntry } from "./services-document.ts";
import { TO_STRING } from "./yaml-file.ts";

/**
 * Property: whatever a container's labels say, the services.yaml Autopilot writes has exactly the
 * structure of its model — one group holding one entry whose parsed value equals the entry
 * Autopilot meant to write — and that stays true after Homepage pastes any secret value into the
 * placeholders. A label can be refused; it can never add a key, a service or a group.
 */
const FIELDS = [
  "homepage.name",
  "homepage.group",
  "homepage.href",
  "homepage.description",
  "homepage.icon",
  "homepage.weight",
  "homepage.ping",
  "homepage.statusStyle",
  "homepage.widget.type",
  "homepage.widget.url",
  "homepage.widget.fields",
  "homepage.widget.headers.X-Custom",
  "homepage.widget.enableQueue",
  "homepage.widget.key",
  "autopilot.health",
  "autopilot.name",
  "autopilot.group",
  "autopilot.widget.key",
  "traefik.http.routers.r.rule",
];

/** Text that tries hard to be YAML: indicators, quotes, line breaks, placeholders, anchors. */
const hostileText = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 80 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc
    .array(
      fc.constantFrom(
        "\n",
        "\r\n",
        "- ",
        ": ",
        "#",
        "{",
        "}",
        "[",
        "]",
        '"',
        "'",
        "\\",
        "&a",
        "*a",
        "!!js/function",
        "---",
        "...",
        "{{HOMEPAGE_FILE_AUTOPILOT_X}}",
        "{{HOMEPAGE_VAR_Y}}",
        "${secret:homepage_x}",
        "${file:/etc/shadow}",
        "javascript:",
        "https://a.example.com",
        "\u202e",
        "\u0000",
        "Sonarr",
        "sonarr",
        "constructor",
        "toString",
        "__proto__",
        " ",
      ),
      { maxLength: 12 },
    )
    .map((parts) => parts.join("")),
);

function container(labels: Record<string, string>): DiscoveredContainer {
  return {
    id: "id",
    name: "c",
    endpoint: "unix:///d.sock",
    image: "lscr.io/linuxserver/sonarr",
    state: "running",
    labels,
  };
}

const base = {
  "homepage.group": "Media",
  "homepage.name": "Sonarr",
  "homepage.widget.url": "http://sonarr:8989",
  "autopilot.widget.key": "${secret:homepage_sonarr_key}",
};

describe("no label value can change the structure of services.yaml", () => {
  it("holds for any values in any of the fields a label can set", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...FIELDS), hostileText, { maxKeys: 5 }),
        fc.string({ maxLength: 30 }),
        (labels, secret) => {
          const result = servicesFromContainer(container({ ...base, ...labels }), {
            autoCredentials: new Set(),
          });
          expect(result.services.length + result.refusals.length).toBe(1);
          const service = result.services[0];
          if (!service) return;
          const entry = homepageResources([service]).resources.find((r) => r.ref.kind === "service");
          const spec = entry?.spec as { group: string; name: string; entry: Record<string, unknown> };
          const document = new Document([]);
          upsertServiceEntry(document, spec);
          const text = document.toString(TO_STRING);
          const model = [{ [spec.group]: [{ [spec.name]: spec.entry }] }];
          expect(parse(text)).toEqual(JSON.parse(JSON.stringify(model)));
          // Homepage substitutes before parsing, with a string replacement ($-patterns and all).
          // Autopilot writes only values that fit a placeholder (it refuses the rest), so those
          // are the ones to substitute.
          const storable = secret.replace(/["\\\p{Cc}\u2028\u2029]/gu, "");
          if (!fitsPlaceholder(storable)) return;
          const substituted = text.replace(/\{\{HOMEPAGE_(?:VAR|FILE)_[A-Za-z0-9_]+\}\}/g, storable);
          const shape = (value: unknown) =>
            JSON.stringify(value, (_key, item) => (typeof item === "string" ? "" : item));
          expect(shape(parse(substituted))).toBe(shape(model));
        },
      ),
      { numRuns: 400 },
    );
    redactor.clear();
  });

  it("never throws on arbitrary label names and values", () => {
    const name = fc.oneof(
      fc.string({ maxLength: 40 }).map((path) => `homepage.${path}`),
      fc.string({ maxLength: 30 }).map((path) => `autopilot.${path}`),
      fc.constantFrom(
        "homepage.widget.__proto__.x",
        "homepage.constructor.prototype.y",
        "homepage.services[1]",
      ),
    );
    fc.assert(
      fc.property(fc.dictionary(name, hostileText, { maxKeys: 8 }), (labels) => {
        expect(() =>
          servicesFromContainer(container({ ...base, ...labels }), { autoCredentials: new Set() }),
        ).not.toThrow();
        expect(({} as Record<string, unknown>).x).toBeUndefined();
      }),
      { numRuns: 400 },
    );
    redactor.clear();
  });
});
