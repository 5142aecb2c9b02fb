import { describe, expect, it } from "vitest";
import { type AuthentikLookups, flow, groupNamed, keypair, resolveLookups, scopeMapping } from "./lookups.ts";

function lookups(groups: Record<string, string> = { admins: "g-1" }) {
  const asked = { groups: 0 };
  const value: AuthentikLookups = {
    flows: new Map([["default-authorization", "f-1"]]),
    keypairs: new Map([["authentik Self-signed Certificate", "k-1"]]),
    scopeMappings: new Map([["goauthentik.io/providers/oauth2/scope-openid", "s-1"]]),
    groups: async () => {
      asked.groups += 1;
      return new Map(Object.entries(groups));
    },
  };
  return { value, asked };
}

describe("resolveLookups", () => {
  it("replaces every marker, at any depth, with the pk it names and leaves the rest alone", async () => {
    const { value, asked } = lookups();
    const spec = {
      name: "grafana",
      authorizationFlow: flow("default-authorization"),
      signingKey: keypair("authentik Self-signed Certificate"),
      propertyMappings: [scopeMapping("goauthentik.io/providers/oauth2/scope-openid")],
      nested: { groups: [groupNamed("admins")], count: 3, off: false, none: null },
    };
    expect(await resolveLookups(spec, value)).toEqual({
      name: "grafana",
      authorizationFlow: "f-1",
      signingKey: "k-1",
      propertyMappings: ["s-1"],
      nested: { groups: ["g-1"], count: 3, off: false, none: null },
    });
    expect(asked.groups).toBe(1);
    expect(spec.authorizationFlow).toEqual({ $flow: "default-authorization" }); // not modified
  });

  it("asks for groups only when a spec names one", async () => {
    const { value, asked } = lookups();
    await resolveLookups({ authorizationFlow: flow("default-authorization"), tags: ["a"] }, value);
    expect(asked.groups).toBe(0);
  });

  it("names what is missing and where to look", async () => {
    const { value } = lookups();
    await expect(resolveLookups({ f: flow("nope") }, value)).rejects.toThrow('authentik has no flow "nope"');
    await expect(resolveLookups({ g: [groupNamed("ghosts")] }, value)).rejects.toMatchObject({
      kind: "not-found",
      message: expect.stringContaining('group "ghosts"'),
    });
  });
});
