import { readFile, rm } from "node:fs/promises";
import { isDeepStrictEqual } from "node:util";
import type { ResourceKind } from "../../../engine/resource-kind.ts";
import { writeFileAtomic } from "../../../secrets/atomic-file.ts";
import { ENV_FILE, type HomepageSession } from "../session.ts";

/**
 * The environment the Homepage container needs for Autopilot's secrets: one
 * `HOMEPAGE_FILE_AUTOPILOT_X=/app/config/autopilot-secrets/HOMEPAGE_FILE_AUTOPILOT_X` line per
 * secret file, for `env_file:` in compose. It holds paths, never values. Homepage reads its
 * environment once, so a changed file needs a restart of the Homepage container.
 */
export interface EnvFileSpec extends Record<string, unknown> {
  file: string;
  /** Variable → path inside the Homepage container. */
  variables: Record<string, string>;
}

const LINE = /^([A-Z][A-Z0-9_]*)=(.*)$/;

export const envFileKind: ResourceKind<EnvFileSpec, EnvFileSpec, HomepageSession> = {
  kind: "env-file",
  dependsOnKinds: ["secret-file"],
  keyOf: (file) => file.file,
  async list(session) {
    let text: string;
    try {
      text = await readFile(session.envFile, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    const variables: Record<string, string> = {};
    for (const line of text.split("\n")) {
      const match = LINE.exec(line.trim());
      if (match?.[1] !== undefined) variables[match[1]] = match[2] ?? "";
    }
    return [{ file: ENV_FILE, variables }];
  },
  diff: (spec, observed) =>
    isDeepStrictEqual(spec.variables, observed.variables)
      ? []
      : [{ path: "variables", before: observed.variables, after: spec.variables }],
  create: (session, spec) => writeEnvFile(session, spec),
  update: (session, spec) => writeEnvFile(session, spec),
  async delete(session) {
    await rm(session.envFile, { force: true });
  },
  output: (file, field) => (field === "file" ? file.file : undefined),
};

export function renderEnvFile(variables: Readonly<Record<string, string>>): string {
  const lines = Object.keys(variables)
    .sort()
    .map((name) => `${name}=${variables[name]}`);
  return [
    "# Written by Homelab Autopilot: the secret files Homepage's widgets read. Paths only, no values.",
    "# Use it as env_file of the Homepage container and restart Homepage when it changes.",
    ...lines,
    "",
  ].join("\n");
}

async function writeEnvFile(session: HomepageSession, spec: EnvFileSpec): Promise<EnvFileSpec> {
  await writeFileAtomic(session.envFile, renderEnvFile(spec.variables), 0o644);
  return spec;
}
