import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readInstanceName } from "./settings-file.ts";

describe("Homepage's instanceName", () => {
  const dir = mkdtempSync(join(tmpdir(), "ap-settings-"));
  afterEach(() => rmSync(join(dir, "settings.yaml"), { force: true }));

  it("is read from settings.yaml", async () => {
    writeFileSync(join(dir, "settings.yaml"), "title: Lab\ninstanceName: home\n");
    expect(await readInstanceName(dir)).toBe("home");
  });

  it("is absent without the file, without the key, or when the file is not a mapping", async () => {
    expect(await readInstanceName(dir)).toBeUndefined();
    writeFileSync(join(dir, "settings.yaml"), "---\n");
    expect(await readInstanceName(dir)).toBeUndefined();
    writeFileSync(join(dir, "settings.yaml"), "- a\n- b\n");
    expect(await readInstanceName(dir)).toBeUndefined();
    writeFileSync(join(dir, "settings.yaml"), "instanceName: [unclosed\n");
    expect(await readInstanceName(dir)).toBeUndefined();
  });
});
