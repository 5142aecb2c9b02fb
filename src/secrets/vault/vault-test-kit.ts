import { createHttpClient } from "../../http/client.ts";
import type { HttpClient } from "../../http/types.ts";
import type { VaultSimulator } from "../../sandbox/vault/server.ts";

/** An HTTP client for the Vault simulator with fast retries, for this folder's tests. */
export function simHttpClient(sim: VaultSimulator): HttpClient {
  return createHttpClient({
    target: "vault",
    baseUrl: sim.url,
    resilience: {
      retry: { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 5 },
      breaker: { consecutiveFailures: 1000, halfOpenAfterMs: 1000 },
    },
  });
}

/** Requests the simulator received on a path, for counting reads, logins and renewals. */
export function requestsTo(sim: VaultSimulator, path: string): number {
  return sim.log.all().filter((entry) => entry.path === path).length;
}
