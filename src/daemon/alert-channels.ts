import type { HomelabConfig } from "../config/schema.ts";
import { createHttpClient } from "../http/client.ts";
import type { AlertChannel } from "./alerts/alert.ts";
import { createChannel, originOf } from "./alerts/channels.ts";

interface Resolver {
  resolve(value: string): Promise<string>;
}

/** The configured alert receivers, URLs and tokens resolved (and so registered as secrets). */
export async function alertChannelsFor(config: HomelabConfig, secrets: Resolver): Promise<AlertChannel[]> {
  return Promise.all(
    (config.alerts ?? []).map(async (settings, index) => {
      const url = await secrets.resolve(settings.url);
      const token = settings.token ? await secrets.resolve(settings.token) : undefined;
      const name = settings.name ?? `${settings.type}-${index + 1}`;
      return createChannel(
        {
          name,
          type: settings.type,
          url,
          minSeverity: settings.minSeverity ?? "info",
          ...(token ? { token } : {}),
        },
        createHttpClient({ target: `alert:${name}`, baseUrl: originOf(url) }),
      );
    }),
  );
}
