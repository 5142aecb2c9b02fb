import type { LoadedConfig } from "../config/load.ts";
import type { Provider } from "../engine/resource-kind.ts";
import { connectAuthentik } from "../providers/authentik/connection.ts";
import { authentikProvider } from "../providers/authentik/provider.ts";
import { connectGrafana, ssoEnvFilePath } from "../providers/grafana/connection.ts";
import { grafanaProvider } from "../providers/grafana/provider.ts";
import { homepageProvider } from "../providers/homepage/provider.ts";

interface Resolver {
  resolve(value: string): Promise<string>;
}

/** A provider for every target the config names. */
export async function targetProviders(loaded: LoadedConfig, secrets: Resolver): Promise<Provider[]> {
  const { targets } = loaded.config;
  const providers: Provider[] = [];
  if (targets.authentik) providers.push(authentikProvider(await connectAuthentik(loaded, secrets)));
  if (targets.grafana) {
    providers.push(
      grafanaProvider({
        http: await connectGrafana(loaded, secrets),
        // Without a server-admin login the SSO settings API is tried with the token (403 → env file).
        ...(targets.grafana.basicAuth ? { admin: await connectGrafana(loaded, secrets, "admin") } : {}),
        resolveSecret: (value) => secrets.resolve(value),
        ssoEnvFile: ssoEnvFilePath(loaded),
      }),
    );
  }
  if (targets.homepage) {
    providers.push(
      homepageProvider({
        configDir: loaded.resolvePath(targets.homepage.configDir),
        resolve: (reference) => secrets.resolve(reference),
      }),
    );
  }
  return providers;
}
