import type { LoadedConfig } from "../../config/load.ts";
import { createHttpClient } from "../../http/client.ts";
import { targetHttpOptions } from "../../http/target-options.ts";
import type { HttpClient } from "../../http/types.ts";

/** The Authentik release lines this build's client (@goauthentik/api 2026.8.x) speaks. */
export const SUPPORTED_AUTHENTIK = { min: "2026.8", max: "2026.8" } as const;

export const AUTHENTIK_API = "/api/v3";

interface Resolver {
  resolve(value: string): Promise<string>;
}

/** An HTTP client for the configured Authentik, authenticating with `Bearer <token>`. */
export async function connectAuthentik(loaded: LoadedConfig, secrets: Resolver): Promise<HttpClient> {
  const settings = loaded.config.targets.authentik;
  if (!settings) throw new Error("targets.authentik is not configured");
  let token: string | undefined;
  return createHttpClient(
    await targetHttpOptions("authentik", settings, loaded.resolvePath, async () => {
      token ??= await secrets.resolve(settings.token);
      return { authorization: `Bearer ${token}` };
    }),
  );
}
