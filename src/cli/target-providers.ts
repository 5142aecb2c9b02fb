import type { LoadedConfig } from "../config/load.ts";
import type { Provider } from "../engine/resource-kind.ts";
import { connectAuthentik } from "../providers/authentik/connection.ts";
import { authentikProvider } from "../providers/authentik/provider.ts";

interface Resolver {
  resolve(value: string): Promise<string>;
}

/** A provider for every target the config names. */
export async function targetProviders(loaded: LoadedConfig, secrets: Resolver): Promise<Provider[]> {
  const { targets } = loaded.config;
  const providers: Provider[] = [];
  if (targets.authentik) providers.push(authentikProvider(await connectAuthentik(loaded, secrets)));
  return providers;
}
