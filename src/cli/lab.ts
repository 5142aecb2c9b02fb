import type { Catalogue } from "../catalog/catalogue.ts";
import { labCatalogue } from "../catalog/lab-catalogue.ts";
import type { Service } from "../catalog/service.ts";
import { readDashboardModel } from "../config/dashboard-model.ts";
import type { LoadedConfig } from "../config/load.ts";
import type { SecretAccess } from "../engine/execute.ts";
import { type Connected, connectProviders } from "../engine/observe.ts";
import type { ReconcileContext } from "../engine/reconcile.ts";
import type { DesiredResource } from "../engine/resource.ts";
import type { Provider } from "../engine/resource-kind.ts";
import { logger } from "../observability/logger.ts";
import { redactor } from "../secrets/redactor.ts";
import { desiredState } from "../wiring/desired-state.ts";
import type { CommandContext } from "./command-context.ts";
import { catalogueNotes, gateOnDiscovery } from "./discovery-gate.ts";
import { targetProviders } from "./target-providers.ts";

export interface Lab {
  readonly reconcile: ReconcileContext;
  /** The service catalogue the desired state was derived from. */
  readonly services: readonly Service[];
  /** The whole catalogue: refused services, conflicts and Docker endpoints that failed too. */
  readonly catalogue: Catalogue;
  /**
   * Discovers again and derives the desired state anew, keeping the providers (and so their
   * connection pools and circuit breakers): the daemon does this before every pass, because
   * containers come and go between passes.
   */
  refresh(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The lab as the engine sees it: a provider per configured target, and the desired state that
 * the wiring rules derive from the config (and, with discovery, the containers' labels).
 */
export async function openLab(
  context: CommandContext,
  options: { connectEarly?: boolean } = {},
): Promise<Lab> {
  const loaded = await context.config();
  const resolver = await context.secrets();
  // People see what was refused and why; JSON output keeps stdout clean, so it goes to the log.
  const note = (line: string) =>
    context.output.format === "text" ? context.output.note(line) : logger().warn(line);
  const providers: Provider[] = await targetProviders(loaded, resolver);
  try {
    return await openWith(context, loaded, providers, note, options.connectEarly === true);
  } catch (error) {
    await Promise.all(providers.map((provider) => provider.close?.()));
    throw error;
  }
}

async function openWith(
  context: CommandContext,
  loaded: LoadedConfig,
  providers: Provider[],
  note: (line: string) => void,
  connectEarly: boolean,
): Promise<Lab> {
  const { config } = loaded;
  // A command that plans once sends each target's version check now: it is answered while the
  // desired state is derived and the state store opened, a round trip planning no longer waits.
  // (The daemon connects anew before each pass instead.)
  let early = connectEarly ? connectProviders(providers) : undefined;
  const derive = async () => {
    const catalogue = await labCatalogue(loaded);
    for (const line of catalogueNotes(catalogue)) note(line);
    const desired: DesiredResource[] = desiredState(config, catalogue.services, {
      readDashboard: (file) => readDashboardModel(loaded.resolvePath(file)),
      onWarning: note,
    });
    return { catalogue, desired, gated: gateOnDiscovery(providers, catalogue) };
  };
  let current = await derive();
  const state = await context.state();
  const audit = await context.audit();
  const store = () => context.secretStore();
  const secrets: SecretAccess = {
    async get(name) {
      const value = await (await store()).get(name);
      if (value !== undefined) redactor.register(value);
      return value;
    },
    async getMany(names) {
      const target = await store();
      const found = new Map<string, string>();
      if (target.getMany) {
        for (const [name, value] of await target.getMany(names)) found.set(name, value);
      } else {
        for (const name of names) {
          const value = await target.get(name);
          if (value !== undefined) found.set(name, value);
        }
      }
      for (const value of found.values()) redactor.register(value);
      return found;
    },
    async set(name, value) {
      await this.setMany?.([[name, value]]);
    },
    /** One durable store write for a whole plan's generated secrets, each write audited. */
    async setMany(entries) {
      for (const [, value] of entries) redactor.register(value);
      const target = await store();
      if (target.setMany) await target.setMany(entries);
      else for (const [name, value] of entries) await target.set(name, value);
      // Appended together, so they share one commit (the log keeps their order).
      await Promise.all(
        entries.map(([name]) =>
          audit.append({
            actor: context.actor,
            action: "secret.write",
            target: "secrets",
            objectKey: `secret/${name}`,
            outcome: "success",
          }),
        ),
      );
    },
  };
  // Used by the first plan only, and only when discovery did not gate the targets.
  const takeEarly = (): Promise<Connected> => {
    const connecting = early;
    early = undefined;
    return connecting && current.gated === providers ? connecting : connectProviders(current.gated);
  };
  return {
    get reconcile(): ReconcileContext {
      return {
        providers: current.gated,
        desired: current.desired,
        state,
        audit,
        secrets,
        actor: context.actor,
        ...(early ? { connect: takeEarly } : {}),
      };
    },
    get services() {
      return current.catalogue.services;
    },
    get catalogue() {
      return current.catalogue;
    },
    refresh: async () => {
      current = await derive();
    },
    close: async () => {
      await Promise.all(providers.map((provider) => provider.close?.()));
    },
  };
}
