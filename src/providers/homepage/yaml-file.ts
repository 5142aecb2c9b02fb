import { readFile, stat } from "node:fs/promises";
import { basename } from "node:path";
import { type Document, parseDocument } from "yaml";
import { AutopilotError } from "../../errors/autopilot-error.ts";
import { writeFileAtomic } from "../../secrets/atomic-file.ts";

/**
 * One of Homepage's YAML files, edited in place through the `yaml` Document API so whatever
 * Autopilot does not own (other groups, other entries, comments) stays as the user wrote it.
 * Every edit is a read-modify-write of the current file, like a PATCH of a fresh copy: a user's
 * edit between plan and apply is kept. Edits arriving together (the engine writes several
 * entries concurrently) share one read and one atomic write (temp file, fsync, rename), so 500
 * new entries do not mean 500 rewrites of a growing file. A file that does not parse is never
 * written: Autopilot cannot tell what in it is the user's.
 */
export const EMPTY_DOCUMENT = "---\n";

/** Serializer options: no line folding, so long descriptions stay on one line as written. */
export const TO_STRING = { lineWidth: 0 } as const;

type Edit = (document: Document) => void;

interface Pending {
  edit: Edit;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class YamlFile {
  readonly path: string;
  #pending: Pending[] = [];
  #draining: Promise<void> | undefined;
  /** The text last written or read, and its parse, so an unchanged file is not parsed again. */
  #cache: { text: string; document: Document } | undefined;
  /** Writes made so far (for tests and the benchmark). */
  writes = 0;

  constructor(path: string) {
    this.path = path;
  }

  /** The current document (a fresh read), or undefined when the file does not exist. */
  async read(): Promise<Document | undefined> {
    const text = await readIfExists(this.path);
    if (text === undefined) return undefined;
    return this.#parse(text).clone();
  }

  /** Applies `edit` to the current file and writes it atomically, batched with concurrent edits. */
  edit(edit: Edit): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ edit, resolve, reject });
      this.#draining ??= this.#drain().finally(() => {
        this.#draining = undefined;
      });
    });
  }

  async #drain(): Promise<void> {
    // Let every write the engine starts in this turn join the batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.#pending.length > 0) {
      const batch = this.#pending.splice(0);
      try {
        const before = (await readIfExists(this.path)) ?? EMPTY_DOCUMENT;
        const document = this.#parse(before).clone();
        const failed = new Map<Pending, unknown>();
        for (const item of batch) {
          try {
            item.edit(document);
          } catch (error) {
            failed.set(item, error);
          }
        }
        const after = document.toString(TO_STRING);
        if (after !== before) {
          await writeFileAtomic(this.path, after, await modeOf(this.path));
          this.writes += 1;
          this.#cache = { text: after, document };
        }
        for (const item of batch) {
          if (failed.has(item)) item.reject(failed.get(item));
          else item.resolve();
        }
      } catch (error) {
        for (const item of batch) item.reject(error);
      }
    }
  }

  #parse(text: string): Document {
    if (this.#cache?.text === text) return this.#cache.document;
    const document = parseDocument(text, { keepSourceTokens: false });
    const problem = document.errors[0];
    if (problem) {
      const line = problem.linePos?.[0]?.line;
      throw new AutopilotError(
        "invalid",
        `${basename(this.path)}${line ? `:${line}` : ""} is not valid YAML (${problem.code}); Autopilot does not write a file it cannot parse`,
        { hint: `fix ${this.path} by hand (Homepage cannot read it either), then apply again` },
      );
    }
    this.#cache = { text, document };
    return document;
  }
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** Keeps the mode the user gave the file; new files are readable by the Homepage container. */
async function modeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).mode & 0o777;
  } catch {
    return 0o644;
  }
}
