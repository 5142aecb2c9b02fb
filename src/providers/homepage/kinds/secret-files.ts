import { createHash } from "node:crypto";
import { mkdir, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { KNOWN_AFTER_APPLY } from "../../../engine/field-diff.ts";
import type { ResourceKind } from "../../../engine/resource-kind.ts";
import { AutopilotError } from "../../../errors/autopilot-error.ts";
import { writeFileAtomic } from "../../../secrets/atomic-file.ts";
import { AUTOPILOT_FILE_VARIABLE_PREFIX } from "../placeholders.ts";
import type { HomepageSession } from "../session.ts";

/**
 * A secret a widget needs, as the file behind `{{HOMEPAGE_FILE_AUTOPILOT_X}}`: mode 0600, the
 * value exactly, no trailing newline (Homepage inserts the file verbatim; a newline inside the
 * quoted placeholder becomes a trailing space). The spec holds only the reference; `prepare`
 * adds the value's digest so plans compare without the value ever being in a plan. When the
 * secret does not exist yet (a token Autopilot creates in the same apply) the content is "known
 * after apply" and the write reads it then.
 *
 * Deleting empties the file instead of removing it: a running Homepage keeps every
 * HOMEPAGE_FILE_* variable it started with, and one that points at a missing file makes it drop
 * all of services.yaml.
 */
export interface SecretFileSpec extends Record<string, unknown> {
  variable: string;
  /** The secret reference, e.g. ${secret:grafana_sa_homepage_token}. */
  source: string;
  /** sha256 of the value, filled by prepare when the value can be read now. */
  digest?: string;
}

export interface ObservedSecretFile {
  variable: string;
  digest: string;
}

const VARIABLE = new RegExp(`^${AUTOPILOT_FILE_VARIABLE_PREFIX}[A-Z0-9_]{1,100}$`);
/** Characters that would break the double-quoted YAML scalar the placeholder sits in. */
const BREAKS_QUOTED_YAML = /["\\\p{Cc}\u2028\u2029]/u;
/**
 * Homepage substitutes with String.replaceAll(placeholder, value), so `$$`, `$&`, `` $` `` and
 * `$'` in the value are replacement patterns: `` $` `` pastes everything before the placeholder
 * into the file, which can be any YAML at all.
 */
const REPLACEMENT_PATTERN = /\$[$&`']/;

/** Whether a value can be pasted into a quoted placeholder by Homepage and stay one string. */
export function fitsPlaceholder(value: string): boolean {
  return (
    value !== "" &&
    value.length <= 65_536 &&
    !BREAKS_QUOTED_YAML.test(value) &&
    !REPLACEMENT_PATTERN.test(value)
  );
}

export const secretFileKind: ResourceKind<SecretFileSpec, ObservedSecretFile, HomepageSession> = {
  kind: "secret-file",
  sensitiveFields: ["digest"],
  keyOf: (file) => file.variable,
  async prepare(session, spec) {
    try {
      return { ...spec, digest: digestOf(await session.resolve(spec.source)) };
    } catch {
      const { digest: _unknown, ...rest } = spec;
      return rest;
    }
  },
  async list(session) {
    let names: string[];
    try {
      names = await readdir(session.secretsDir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    const files = await Promise.all(
      names
        .filter((name) => VARIABLE.test(name))
        .map(async (variable) => ({
          variable,
          content: await readFile(join(session.secretsDir, variable), "utf8"),
        })),
    );
    // An emptied file is one Autopilot deleted (see above): it counts as absent.
    return files
      .filter((file) => file.content !== "")
      .map((file) => ({ variable: file.variable, digest: digestOf(file.content) }));
  },
  diff(spec, observed) {
    if (spec.digest === observed.digest) return [];
    return [
      { path: "digest", before: observed.digest, after: spec.digest ?? KNOWN_AFTER_APPLY, sensitive: true },
    ];
  },
  create: (session, spec) => writeSecret(session, spec),
  async update(session, spec, observed) {
    return writeSecret(session, spec, observed);
  },
  async delete(session, observed) {
    await writeFileAtomic(join(session.secretsDir, observed.variable), "", 0o600);
  },
  output: (file, field) => (field === "variable" ? file.variable : undefined),
};

async function writeSecret(
  session: HomepageSession,
  spec: SecretFileSpec,
  observed?: ObservedSecretFile,
): Promise<ObservedSecretFile> {
  if (!VARIABLE.test(spec.variable)) {
    throw new AutopilotError("invalid", `${spec.variable} is not a variable name Autopilot writes`);
  }
  const value = await session.resolve(spec.source);
  if (!fitsPlaceholder(value)) {
    throw new AutopilotError(
      "invalid",
      `the secret for ${spec.variable} (${spec.source}) cannot go into a Homepage placeholder: it is empty, too long, or holds a quote, backslash, line break, control character, or one of $$ $& $\` $'`,
      {
        hint: "Homepage pastes the file into double-quoted YAML with String.replaceAll before parsing; store a value without those characters",
      },
    );
  }
  const digest = digestOf(value);
  if (observed?.digest === digest) return observed;
  await mkdir(session.secretsDir, { recursive: true, mode: 0o700 });
  await writeFileAtomic(join(session.secretsDir, spec.variable), value, 0o600);
  return { variable: spec.variable, digest };
}

function digestOf(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}
