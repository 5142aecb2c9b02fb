import { open, readdir } from "node:fs/promises";
import { join } from "node:path";
import type { ResourceKind } from "../../../engine/resource-kind.ts";
import type { HomepageSession } from "../session.ts";
import { EMPTY_DOCUMENT } from "../yaml-file.ts";

/**
 * The config files Homepage copies a skeleton over when they are missing (and exits when the
 * directory is read-only): each one exists, as an empty document (`---`) if Autopilot made it.
 * Shared: the files are the user's; Autopilot only makes sure they are there and never deletes
 * one.
 */
export const HOMEPAGE_FILES = [
  "settings.yaml",
  "services.yaml",
  "widgets.yaml",
  "bookmarks.yaml",
  "docker.yaml",
] as const;

export interface ConfigFileSpec extends Record<string, unknown> {
  file: string;
}

export const configFileKind: ResourceKind<ConfigFileSpec, ConfigFileSpec, HomepageSession> = {
  kind: "config-file",
  ownership: "shared",
  keyOf: (file) => file.file,
  async list(session) {
    const present = new Set(await readdir(session.dir));
    return HOMEPAGE_FILES.filter((file) => present.has(file)).map((file) => ({ file }));
  },
  diff: () => [],
  async create(session, spec) {
    // "wx": a file that appeared meanwhile (the user, or Homepage's skeleton copy) is left alone.
    try {
      const handle = await open(join(session.dir, spec.file), "wx", 0o644);
      try {
        await handle.writeFile(EMPTY_DOCUMENT, "utf8");
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    return { file: spec.file };
  },
  update: async (_session, spec) => ({ file: spec.file }),
  delete: async () => undefined,
  output: (file, field) => (field === "file" ? file.file : undefined),
};
