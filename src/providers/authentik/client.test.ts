import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

const repo = resolve(import.meta.dirname, "../../..");

describe("the Authentik client's parts", () => {
  it("load without the package index and its 3,700 models", () => {
    // A fresh process: the test runner itself may have loaded the index for other tests.
    const script = `
      import { createRequire } from "node:module";
      await import(${JSON.stringify(resolve(repo, "src/providers/authentik/provider.ts"))});
      const loaded = Object.keys(createRequire(import.meta.url).cache).filter((file) => file.includes("@goauthentik/api"));
      console.log(JSON.stringify({ count: loaded.length, index: loaded.some((file) => file.endsWith("/dist/index.js")) }));
    `;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: repo,
      encoding: "utf8",
    });
    const { count, index } = JSON.parse(out) as { count: number; index: boolean };
    expect(index).toBe(false);
    expect(count).toBeGreaterThan(10);
    expect(count).toBeLessThan(1_000);
  });
});
