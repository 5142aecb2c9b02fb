import type { OperationHandler } from "../operation.ts";
import { applicationHandlers } from "./applications.ts";
import { eventHandlers } from "./events.ts";
import { flowHandlers } from "./flows.ts";
import { groupHandlers } from "./groups.ts";
import { keypairHandlers } from "./keypairs.ts";
import { oauth2ProviderHandlers } from "./oauth2-providers.ts";
import { outpostHandlers } from "./outposts.ts";
import { allProvidersHandlers } from "./providers-all.ts";
import { proxyProviderHandlers } from "./proxy-providers.ts";
import { rootHandlers } from "./root.ts";
import { scopeMappingHandlers } from "./scope-mappings.ts";
import { tokenHandlers } from "./tokens.ts";
import { userHandlers } from "./users.ts";

/** Every simulated operation, keyed by the spec's operationId. */
export function allOperationHandlers(options: { version: string }): OperationHandler[] {
  return [
    ...rootHandlers(options.version),
    ...applicationHandlers(),
    ...oauth2ProviderHandlers(),
    ...proxyProviderHandlers(),
    ...allProvidersHandlers(),
    ...outpostHandlers(),
    ...groupHandlers(),
    ...userHandlers(),
    ...tokenHandlers(),
    ...flowHandlers(),
    ...keypairHandlers(),
    ...scopeMappingHandlers(),
    ...eventHandlers(),
  ];
}
