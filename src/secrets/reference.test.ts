import { describe, expect, it } from "vitest";
import { findSecretReferences, parseSecretReference } from "./reference.ts";

describe("parseSecretReference", () => {
  it("returns undefined for plain literals", () => {
    expect(parseSecretReference("https://grafana.lab")).toBeUndefined();
    expect(parseSecretReference("$HOME")).toBeUndefined();
  });

  it("parses each kind", () => {
    expect(parseSecretReference("${secret:grafana_token}")).toEqual({
      kind: "secret",
      name: "grafana_token",
      raw: "${secret:grafana_token}",
    });
    expect(parseSecretReference("${env:GF_TOKEN}")).toMatchObject({ kind: "env", name: "GF_TOKEN" });
    expect(parseSecretReference("${file:/run/secrets/x}")).toMatchObject({
      kind: "file",
      path: "/run/secrets/x",
    });
    expect(parseSecretReference("${vault:apps/grafana#admin.password}")).toMatchObject({
      kind: "vault",
      path: "apps/grafana",
      key: "admin.password",
    });
  });

  it.each([
    ["prefix ${secret:a}", /whole value/],
    ["${secret:a}suffix", /whole value/],
    ["${secret:}", /secret name/],
    ["${secret:bad name}", /secret name/],
    ["${env:1X}", /environment variable/],
    ["${file:}", /needs a path/],
    ["${vault:apps/grafana}", /PATH#KEY/],
    ["${vault:/abs#k}", /PATH#KEY/],
    ["${vault:a//b#k}", /PATH#KEY/],
    ["${keychain:x}", /unknown reference kind "keychain"/],
    ["${secret:${secret:a}}", /another reference/],
    ["${secret:a", /whole value/],
  ])("refuses %s", (input, message) => {
    expect(() => parseSecretReference(input)).toThrow(message);
  });
});

describe("findSecretReferences", () => {
  it("lists every reference with its path and skips malformed ones", () => {
    const found = findSecretReferences({
      targets: { grafana: { token: "${secret:gt}", url: "https://g" } },
      alerts: [{ url: "${env:NTFY}" }, { url: "${nope" }],
      n: 3,
    });
    expect(found.map((f) => [f.path.join("."), f.reference.raw])).toEqual([
      ["targets.grafana.token", "${secret:gt}"],
      ["alerts.0.url", "${env:NTFY}"],
    ]);
  });
});
