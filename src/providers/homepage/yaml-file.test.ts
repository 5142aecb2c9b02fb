import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { upsertServiceEntry } from "./services-document.ts";
import { YamlFile } from "./yaml-file.ts";

describe("a Homepage YAML file", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "ap-yaml-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("batches concurrent edits into one atomic write and keeps the file's mode", async () => {
    const path = join(dir, "services.yaml");
    writeFileSync(path, "# mine\n- Mine:\n    - X: {href: 'http://x'}\n", { mode: 0o640 });
    const file = new YamlFile(path);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        file.edit((document) =>
          upsertServiceEntry(document, { group: "G", name: `S${i}`, entry: { href: `http://s${i}` } }),
        ),
      ),
    );
    expect(file.writes).toBe(1);
    expect(statSync(path).mode & 0o777).toBe(0o640);
    const text = readFileSync(path, "utf8");
    // The user's comment, flow style and single quotes stay (the library pads the braces).
    expect(text).toContain("# mine\n- Mine:\n    - X: { href: 'http://x' }\n");
    expect(parse(text)[1].G).toHaveLength(20);
  });

  it("does not write when an edit changes nothing", async () => {
    const path = join(dir, "services.yaml");
    writeFileSync(path, "- G:\n    - A:\n        href: http://a\n");
    const before = statSync(path).mtimeMs;
    const file = new YamlFile(path);
    await file.edit((document) =>
      upsertServiceEntry(document, { group: "G", name: "A", entry: { href: "http://a" } }),
    );
    expect(file.writes).toBe(0);
    expect(statSync(path).mtimeMs).toBe(before);
  });

  it("rejects only the edit that failed, and never writes a file it cannot parse", async () => {
    const path = join(dir, "services.yaml");
    const file = new YamlFile(path);
    const results = await Promise.allSettled([
      file.edit(() => {
        throw new Error("bad edit");
      }),
      file.edit((document) => upsertServiceEntry(document, { group: "G", name: "A", entry: {} })),
    ]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "fulfilled"]);
    writeFileSync(path, "- G: [unclosed\n");
    await expect(file.read()).rejects.toThrow(/services\.yaml:\d+ is not valid YAML/);
    await expect(file.edit(() => undefined)).rejects.toThrow("not valid YAML");
    expect(readFileSync(path, "utf8")).toBe("- G: [unclosed\n");
  });

  it("reads a missing file as absent", async () => {
    expect(await new YamlFile(join(dir, "nope.yaml")).read()).toBeUndefined();
  });
});
