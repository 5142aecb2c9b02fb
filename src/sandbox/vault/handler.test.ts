import { afterEach, describe, expect, it } from "vitest";
import { startVaultSimulator, type VaultSimulator } from "./server.ts";

// Simulator tests talk to the server on the wire with Node's fetch: they test the server itself.
describe("Vault simulator sandbox controls", () => {
  let sim: VaultSimulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it("seals and unseals on POST /__sandbox/vault/seal and /unseal, beside the shared controls", async () => {
    sim = await startVaultSimulator();
    const post = (path: string) => fetch(`${sim?.url}${path}`, { method: "POST" });
    const sealed = await post("/__sandbox/vault/seal");
    expect(await sealed.json()).toEqual({ sealed: true });
    expect(sim.sealed).toBe(true);
    expect((await fetch(`${sim.url}/v1/sys/seal-status`)).status).toBe(200);
    expect(await (await post("/__sandbox/vault/unseal")).json()).toEqual({ sealed: false });
    expect(sim.sealed).toBe(false);
    expect((await post("/__sandbox/vault/other")).status).toBe(404);
    expect((await fetch(`${sim.url}/__sandbox/requests`)).status).toBe(200);
  });
});
