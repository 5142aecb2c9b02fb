import { servicesFromConfig } from "../catalog/service.ts";
import type { SecretAccess } from "../engine/execute.ts";
import type { ReconcileContext } from "../engine/reconcile.ts";
import type { DesiredResource } from "../engine/resource.ts";
import type { Provider } from "../engine/resource-kind.ts";
import { connectAuthentik } from "../providers/authentik/connection.ts";
import { authentikProvider } from "../providers/authentik/provider.ts";
import { redactor } from "../secrets/redactor.ts";
import { identityResources } from "../wiring/identity.ts";
import { ssoResources } from "../wiring/sso.ts";
import type { CommandContext } from "./command-context.ts";

export interface Lab {
  readonly reconcile: ReconcileContext;
  close(): Promise<void>;
}

/**
 * The lab as the engine sees it: a provider per configured target, and the desired state that
 * the wiring rules derive from the config (and, with discovery, the containers' labels).
 */
export async function openLab(context: CommandContext): Promise<Lab> {
  const loaded = await context.config();
  const { config } = loaded;
  const resolver = await context.secrets();
  const providers: Provider[] = [];
  if (config.targets.authentik) providers.push(authentikProvider(await connectAuthentik(loaded, resolver)));
  const services = servicesFromConfig(config);
  const desired: DesiredResource[] = [];
  if (config.targets.authentik)
    desired.push(...identityResources(config.identity), ...ssoResources(services));
  const state = await context.state();
  const audit = await context.audit();
  const store = () => context.secretStore();
  const secrets: SecretAccess = {
    async get(name) {
      const value = await (await store()).get(name);
      if (value !== undefined) redactor.register(value);
      return value;
    },
    async set(name, value) {
      redactor.register(value);
      await (await store()).set(name, value);
      await audit.append({
        actor: context.actor,
        action: "secret.write",
        target: "secrets",
        objectKey: `secret/${name}`,
        outcome: "success",
      });
    },
  };
  return {
    reconcile: { providers, desired, state, audit, secrets, actor: context.actor },
    close: async () => {
      await Promise.all(providers.map((provider) => provider.close?.()));
    },
  };
}
