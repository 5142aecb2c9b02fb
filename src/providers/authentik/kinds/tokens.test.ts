import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyPlan, converged, preparePlan, type ReconcileContext } from "../../../engine/reconcile.ts";
import { createHttpClient } from "../../../http/client.ts";
import { AuditLog } from "../../../observability/audit/audit-log.ts";
import { type AuthentikSimulator, startAuthentikSimulator } from "../../../sandbox/authentik/server.ts";
import { openSqliteStateStore, type SqliteStateStore } from "../../../state/sqlite-state-store.ts";
import { authentikProvider } from "../provider.ts";
import { tokenSecretName } from "./tokens.ts";

describe("Authentik API tokens", () => {
  let sim: AuthentikSimulator;
  let state: SqliteStateStore;
  let secrets: Map<string, string>;
  let context: ReconcileContext;

  beforeEach(async () => {
    sim = await startAuthentikSimulator();
    state = await openSqliteStateStore(join(mkdtempSync(join(tmpdir(), "tokens-")), "state.db"));
    secrets = new Map();
    const http = createHttpClient({
      target: "authentik",
      baseUrl: sim.url,
      headers: () => ({ authorization: `Bearer ${sim.token}` }),
    });
    context = {
      providers: [authentikProvider(http)],
      desired: [
        {
          ref: { target: "authentik", kind: "token", key: "homepage-widget" },
          spec: {
            identifier: "homepage-widget",
            intent: "api",
            expiring: false,
            description: "Homepage's Authentik widget",
          },
        },
      ],
      state,
      audit: new AuditLog(state.audit),
      actor: "test",
      secrets: {
        get: async (name) => secrets.get(name),
        set: async (name, value) => void secrets.set(name, value),
      },
    };
  });
  afterEach(async () => {
    await context.providers[0]?.close?.();
    await state.close();
    await sim.close();
  });

  it("creates a non-expiring API token, keeps its key only in the secret store, and leaves it alone after", async () => {
    const prepared = await preparePlan(context);
    expect(converged(await applyPlan(context, prepared), prepared.plan)).toBe(true);
    const token = sim.state.tokens.find((t) => t.identifier === "homepage-widget");
    expect(token).toMatchObject({
      intent: "api",
      expiring: false,
      description: "Homepage's Authentik widget",
    });
    expect(secrets.get(tokenSecretName("homepage-widget"))).toBe(token?.key);
    expect(sim.state.apiTokenByKey(token?.key as string)).toBeDefined();

    // The server rewrites `expires` on every write; that must not look like a change.
    if (token) token.expires = Date.now() + 86_400_000;
    const again = await preparePlan(context);
    expect(again.plan.actions.map((a) => a.type)).toEqual(["noop"]);
  });
});
