import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { KNOWN_AFTER_APPLY } from "../../engine/field-diff.ts";
import {
  envName,
  envValues,
  parseEnvFile,
  readEnvFile,
  renderEnvFile,
  writeEnvFile,
} from "./sso-env-file.ts";

describe("the generic OAuth env file", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("names each setting as Grafana's environment variable", () => {
    expect(envName("clientId")).toBe("GF_AUTH_GENERIC_OAUTH_CLIENT_ID");
    expect(envName("roleAttributePath")).toBe("GF_AUTH_GENERIC_OAUTH_ROLE_ATTRIBUTE_PATH");
    expect(envName("allowSignUp")).toBe("GF_AUTH_GENERIC_OAUTH_ALLOW_SIGN_UP");
    expect(envName("signoutRedirectUrl")).toBe("GF_AUTH_SIGNOUT_REDIRECT_URL");
  });

  it("keeps values not known yet as they are, and turns the rest into text", () => {
    expect(envValues({ enabled: true, clientSecret: KNOWN_AFTER_APPLY, unset: undefined })).toEqual({
      GF_AUTH_GENERIC_OAUTH_ENABLED: "true",
      GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET: KNOWN_AFTER_APPLY,
    });
  });

  it("round-trips values with spaces, quotes and '=' literally, sorted, under a header", () => {
    const values = { B_KEY: "a=b 'c' \"d\"", A_KEY: "x" };
    const text = renderEnvFile(values);
    expect(text.split("\n").filter((line) => !line.startsWith("#"))).toEqual([
      "A_KEY=x",
      "B_KEY=a=b 'c' \"d\"",
      "",
    ]);
    expect(parseEnvFile(text)).toEqual(values);
  });

  it("refuses a value that would inject another variable", () => {
    expect(() => renderEnvFile({ A: "x\nGF_SECURITY_ADMIN_PASSWORD=y" })).toThrow(/line break/);
  });

  it("writes atomically with mode 0600 and reads back; a missing file is undefined", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sso-env-"));
    dirs.push(dir);
    const file = join(dir, "grafana.env");
    expect(await readEnvFile(file)).toBeUndefined();
    await writeEnvFile(file, { GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET: "s3cret-value" });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await readEnvFile(file)).toEqual({ GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET: "s3cret-value" });
    expect(readdirSync(dir)).toEqual(["grafana.env"]);
    expect(readFileSync(file, "utf8")).toMatch(/^# Written by Homelab Autopilot/);
  });
});
