import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openHomepageSession } from "../session.ts";
import { configFileKind } from "./config-files.ts";
import { envFileKind, renderEnvFile } from "./env-file.ts";
import { secretFileKind } from "./secret-files.ts";

describe("Homepage kinds at the edges", () => {
  let dir: string;
  const session = () =>
    openHomepageSession({ configDir: dir, containerConfigDir: "/config/", resolve: async () => "v" });
  const noStore = { storeSecret: async () => undefined };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "ap-kinds-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("refuses a config folder that is missing or a file, saying what to do", async () => {
    await expect(
      openHomepageSession({ configDir: join(dir, "nope"), resolve: async () => "" }),
    ).rejects.toMatchObject({
      kind: "unavailable",
      hint: expect.stringContaining("create the folder"),
    });
    writeFileSync(join(dir, "file"), "");
    await expect(
      openHomepageSession({ configDir: join(dir, "file"), resolve: async () => "" }),
    ).rejects.toThrow("ENOTDIR");
    expect((await session()).containerSecretsDir).toBe("/config/autopilot-secrets");
  });

  it("never overwrites a config file that appeared meanwhile", async () => {
    writeFileSync(join(dir, "settings.yaml"), "title: mine\n");
    const created = await configFileKind.create(await session(), { file: "settings.yaml" }, noStore);
    expect(readFileSync(join(dir, "settings.yaml"), "utf8")).toBe("title: mine\n");
    expect(configFileKind.output(created, "file")).toBe("settings.yaml");
    expect(configFileKind.output(created, "other")).toBeUndefined();
    expect(await configFileKind.update(await session(), created, created, [], noStore)).toEqual(created);
    await configFileKind.delete(await session(), created, noStore);
    expect(readFileSync(join(dir, "settings.yaml"), "utf8")).toBe("title: mine\n");
  });

  it("renders, reads back and removes the env file", async () => {
    const spec = {
      file: "autopilot-homepage.env",
      variables: { HOMEPAGE_FILE_AUTOPILOT_B: "/x/b", HOMEPAGE_FILE_AUTOPILOT_A: "/x/a" },
    };
    expect(
      renderEnvFile(spec.variables)
        .split("\n")
        .filter((line) => !line.startsWith("#")),
    ).toEqual(["HOMEPAGE_FILE_AUTOPILOT_A=/x/a", "HOMEPAGE_FILE_AUTOPILOT_B=/x/b", ""]);
    const s = await session();
    expect(await envFileKind.list(s)).toEqual([]);
    await envFileKind.create(s, spec, noStore);
    const [observed] = await envFileKind.list(s);
    expect(observed).toEqual(spec);
    expect(envFileKind.diff(spec, observed as typeof spec, {})).toEqual([]);
    expect(envFileKind.diff({ ...spec, variables: {} }, observed as typeof spec, {})).toHaveLength(1);
    expect(envFileKind.output(spec, "file")).toBe("autopilot-homepage.env");
    await envFileKind.delete(s, spec, noStore);
    expect(await envFileKind.list(s)).toEqual([]);
  });

  it("refuses to write a secret under a variable that is not Autopilot's", async () => {
    await expect(
      secretFileKind.create(await session(), { variable: "HOMEPAGE_VAR_X", source: "${secret:x}" }, noStore),
    ).rejects.toThrow("is not a variable name Autopilot writes");
    expect(secretFileKind.output({ variable: "V", digest: "d" }, "variable")).toBe("V");
  });
});
