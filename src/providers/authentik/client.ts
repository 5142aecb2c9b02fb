/**
 * The parts of the official Authentik client (@goauthentik/api) Autopilot uses, imported file by
 * file. The package's index loads all 3,700 of its models (13 MB of heap, ~40 MB of a
 * long-running daemon's memory); these seven APIs need a few hundred (5 MB). Types may still be
 * imported from the index: type imports are erased.
 */
export { AdminApi } from "@goauthentik/api/dist/apis/AdminApi.js";
export { CoreApi } from "@goauthentik/api/dist/apis/CoreApi.js";
export { CryptoApi } from "@goauthentik/api/dist/apis/CryptoApi.js";
export { FlowsApi } from "@goauthentik/api/dist/apis/FlowsApi.js";
export { OutpostsApi } from "@goauthentik/api/dist/apis/OutpostsApi.js";
export { PropertymappingsApi } from "@goauthentik/api/dist/apis/PropertymappingsApi.js";
export { ProvidersApi } from "@goauthentik/api/dist/apis/ProvidersApi.js";
export { UserTypeEnum } from "@goauthentik/api/dist/models/UserTypeEnum.js";
export { Configuration, FetchError, RequiredError, ResponseError } from "@goauthentik/api/dist/runtime.js";
