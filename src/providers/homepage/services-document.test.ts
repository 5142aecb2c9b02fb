import { describe, expect, it } from "vitest";
import { parse, parseDocument } from "yaml";
import { listServiceEntries, removeServiceEntry, upsertServiceEntry } from "./services-document.ts";
import { TO_STRING } from "./yaml-file.ts";

const USER_FILE = `# my dashboard
- Infrastructure: # hand-made group
    - Router:
        href: http://192.168.1.1 # the router
        description: "keep: my quoting"
    - Storage:
        - NAS:
            href: http://nas
- Media:
    - Plex:
        href: http://plex:32400
`;

describe("services.yaml entries", () => {
  it("lists only direct services of top-level groups, not nested groups", () => {
    expect(listServiceEntries(parseDocument(USER_FILE))).toEqual([
      {
        group: "Infrastructure",
        name: "Router",
        entry: { href: "http://192.168.1.1", description: "keep: my quoting" },
      },
      { group: "Media", name: "Plex", entry: { href: "http://plex:32400" } },
    ]);
    expect(listServiceEntries(parseDocument("---\n"))).toEqual([]);
  });

  it("adds to an existing group and creates a new one, leaving the user's text and comments as they were", () => {
    const document = parseDocument(USER_FILE);
    upsertServiceEntry(document, {
      group: "Media",
      name: "Sonarr",
      entry: { href: "https://sonarr.lab", widget: { type: "sonarr", key: "{{HOMEPAGE_FILE_AUTOPILOT_K}}" } },
    });
    upsertServiceEntry(document, {
      group: "Monitoring",
      name: "Grafana",
      entry: { href: "https://grafana.lab" },
    });
    const text = document.toString(TO_STRING);
    // Comments and quoting stay (the yaml library may move a comment after a key onto its own line).
    for (const kept of [
      "# my dashboard",
      "# hand-made group",
      "href: http://192.168.1.1 # the router",
      'description: "keep: my quoting"',
    ]) {
      expect(text).toContain(kept);
    }
    expect(text).toContain('key: "{{HOMEPAGE_FILE_AUTOPILOT_K}}"');
    expect(parse(text)).toEqual([
      {
        Infrastructure: [
          { Router: { href: "http://192.168.1.1", description: "keep: my quoting" } },
          { Storage: [{ NAS: { href: "http://nas" } }] },
        ],
      },
      {
        Media: [
          { Plex: { href: "http://plex:32400" } },
          {
            Sonarr: {
              href: "https://sonarr.lab",
              widget: { type: "sonarr", key: "{{HOMEPAGE_FILE_AUTOPILOT_K}}" },
            },
          },
        ],
      },
      { Monitoring: [{ Grafana: { href: "https://grafana.lab" } }] },
    ]);
  });

  it("replaces an entry in place and removes one, dropping a group left empty", () => {
    const document = parseDocument(USER_FILE);
    upsertServiceEntry(document, { group: "Media", name: "Plex", entry: { href: "https://plex.lab" } });
    expect(parse(document.toString())[1]).toEqual({ Media: [{ Plex: { href: "https://plex.lab" } }] });
    removeServiceEntry(document, "Media", "Plex");
    removeServiceEntry(document, "Nowhere", "X");
    expect(parse(document.toString()).map((group: object) => Object.keys(group)[0])).toEqual([
      "Infrastructure",
    ]);
  });

  it("starts a list in an empty document and in an empty group", () => {
    const empty = parseDocument("---\n");
    upsertServiceEntry(empty, { group: "G", name: "A", entry: { href: "http://a" } });
    expect(parse(empty.toString())).toEqual([{ G: [{ A: { href: "http://a" } }] }]);
    const emptyGroup = parseDocument("- G:\n");
    upsertServiceEntry(emptyGroup, { group: "G", name: "A", entry: {} });
    expect(parse(emptyGroup.toString())).toEqual([{ G: [{ A: {} }] }]);
  });

  it("refuses to touch a file that is not a list of groups, or a group that is not a list", () => {
    expect(() => listServiceEntries(parseDocument("a: 1\n"))).toThrow("not a list of groups");
    expect(() =>
      upsertServiceEntry(parseDocument("- G: text\n"), { group: "G", name: "A", entry: {} }),
    ).toThrow("group G in services.yaml is not a list of services");
  });
});
