import type { Provider } from "../../engine/resource-kind.ts";
import { configFileKind } from "./kinds/config-files.ts";
import { envFileKind } from "./kinds/env-file.ts";
import { secretFileKind } from "./kinds/secret-files.ts";
import { serviceEntryKind } from "./kinds/service-entries.ts";
import { type HomepageSession, type HomepageSettings, openHomepageSession } from "./session.ts";

/** Homepage as a target: its config folder, with the kinds Autopilot writes there. */
export function homepageProvider(settings: HomepageSettings): Provider<HomepageSession> {
  return {
    target: "homepage",
    kinds: [configFileKind, secretFileKind, serviceEntryKind, envFileKind],
    // Local files whose concurrent edits share one read and one atomic write: throttling them
    // like an API would turn 500 new tiles into 32 rewrites of a growing services.yaml.
    writeConcurrency: Number.POSITIVE_INFINITY,
    connect: () => openHomepageSession(settings),
  };
}
