import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyPlan, preparePlan } from "../../../engine/reconcile.ts";
import type { DesiredResource } from "../../../engine/resource.ts";
import { outputOf } from "../../../engine/resource.ts";
import { type GrafanaHarness, grafanaHarness } from "../grafana-harness.fixture.ts";

const account: DesiredResource = {
  ref: { target: "grafana", kind: "service-account", key: "homepage" },
  spec: { name: "homepage", role: "Viewer", isDisabled: false },
};
const token: DesiredResource = {
  ref: { target: "grafana", kind: "service-account-token", key: "homepage-widget" },
  spec: {
    name: "homepage-widget",
    serviceAccount: "homepage",
    serviceAccountId: outputOf(account.ref, "id"),
    secretName: "grafana_sa_homepage_token",
    secondsToLive: 0,
  },
};

describe("Grafana service accounts and tokens", () => {
  let h: GrafanaHarness;
  const key = () => h.secrets.get("grafana_sa_homepage_token") as string;
  const tokensNamed = (name: string) => [...h.sim.state.org().tokens.values()].filter((t) => t.name === name);

  beforeEach(async () => {
    h = await grafanaHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it("creates the account and a token whose key goes straight to the secret store, then leaves both alone", async () => {
    expect((await h.apply([account, token])).converged).toBe(true);
    const stored = h.sim.state.findToken(key());
    expect(key()).toMatch(/^glsa_/);
    expect(stored?.name).toBe("homepage-widget");
    const sa = [...h.sim.state.org().serviceAccounts.values()].find((a) => a.name === "homepage");
    expect(sa).toMatchObject({ role: "Viewer", isDisabled: false });
    expect(stored?.serviceAccountId).toBe(sa?.id);
    const before = h.sim.server.log.writes().length;
    expect((await h.plan([account, token])).plan.actions.map((a) => a.type)).toEqual(["noop", "noop"]);
    await h.apply([account, token]);
    expect(h.sim.server.log.writes().length - before).toBe(0);
  });

  it("replaces a token Grafana revoked, storing the new key", async () => {
    await h.apply([account, token]);
    const first = key();
    h.sim.state.revokeToken(first);
    const plan = await h.plan([account, token]);
    expect(plan.plan.actions[1]?.changes).toEqual([{ path: "state", before: "revoked", after: "active" }]);
    expect((await h.execute([account, token], plan)).converged).toBe(true);
    expect(key()).not.toBe(first);
    expect(h.sim.state.findToken(key())?.isRevoked).toBe(false);
    expect(tokensNamed("homepage-widget")).toHaveLength(1);
  });

  it("never leaves a token whose key it lost: a lost answer to the create is cleaned up and retried", async () => {
    const plan = await h.plan([account, token]);
    // Request 1 creates the account; request 2 creates the token and its answer is lost.
    h.faultAt(2, { kind: "lose-response" });
    expect((await h.execute([account, token], plan)).converged).toBe(true);
    expect(tokensNamed("homepage-widget")).toHaveLength(1);
    expect(h.sim.state.findToken(key())?.name).toBe("homepage-widget");
  });

  it("replaces a token for which no key was ever stored (adopted, or the state was lost)", async () => {
    await h.apply([account, token]);
    await h.state.deleteDigests(token.ref);
    const plan = await h.plan([account, token]);
    expect(plan.plan.actions[1]?.changes.map((c) => c.path)).toEqual(["key"]);
    const first = key();
    await h.execute([account, token], plan);
    expect(key()).not.toBe(first);
    expect(h.sim.state.findToken(first)).toBeUndefined();
  });

  it("changes the role of an account with PATCH and deletes account and token when dropped", async () => {
    await h.apply([account, token]);
    await h.apply([{ ...account, spec: { ...account.spec, role: "Editor" } }, token]);
    expect([...h.sim.state.org().serviceAccounts.values()].find((a) => a.name === "homepage")?.role).toBe(
      "Editor",
    );
    expect((await h.apply([])).converged).toBe(true);
    expect([...h.sim.state.org().serviceAccounts.values()].map((a) => a.name)).toEqual(["autopilot-sandbox"]);
    expect(tokensNamed("homepage-widget")).toHaveLength(0);
  });

  it("deletes the new token again when its key cannot be stored, so none is left keyless", async () => {
    const context = h.context([account, token]);
    const failing = {
      ...context,
      secrets: {
        ...context.secrets,
        set: async () => {
          throw new Error("secret store is read-only");
        },
      },
    };
    const prepared = await preparePlan(failing);
    const results = await applyPlan(failing, prepared);
    expect(results.find((r) => r.ref.kind === "service-account-token")?.status).toBe("failed");
    expect(tokensNamed("homepage-widget")).toHaveLength(0);
    expect((await h.apply([account, token])).converged).toBe(true);
    expect(h.sim.state.findToken(key())?.name).toBe("homepage-widget");
  });

  it("moves a token to another account by replacing it", async () => {
    const other: DesiredResource = {
      ref: { target: "grafana", kind: "service-account", key: "other" },
      spec: { name: "other", role: "Viewer", isDisabled: false },
    };
    await h.apply([account, other, token]);
    const moved = {
      ...token,
      spec: { ...token.spec, serviceAccount: "other", serviceAccountId: outputOf(other.ref, "id") },
    };
    const plan = await h.plan([account, other, moved]);
    expect(plan.plan.actions.find((a) => a.type === "update")?.changes.map((c) => c.path)).toEqual([
      "serviceAccount",
    ]);
    await h.execute([account, other, moved], plan);
    const otherId = [...h.sim.state.org().serviceAccounts.values()].find((a) => a.name === "other")?.id;
    expect(h.sim.state.findToken(key())?.serviceAccountId).toBe(otherId);
    expect(tokensNamed("homepage-widget")).toHaveLength(1);
  });
});
