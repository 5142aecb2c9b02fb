import type { FieldErrors } from "../field-errors.ts";
import type { ProviderRecord } from "../records.ts";
import type { AuthentikState } from "../state.ts";
import { checkManyPks, checkUnique, checkUuidPk } from "./relation-checks.ts";

/**
 * Checks every provider type shares (the fields of the base Provider model). The name lives on
 * the base table, so it is unique across OAuth2, proxy and every other provider type, and the
 * message names the base model ("provider"), not the type the client was creating.
 */
export function validateProviderBase(
  state: AuthentikState,
  data: Record<string, unknown>,
  errors: FieldErrors,
  self: ProviderRecord | undefined,
): void {
  checkUnique(
    errors,
    "name",
    typeof data.name === "string" &&
      state.providers.find((p) => p.name === data.name && p !== self) !== undefined,
    "provider with this name already exists.",
  );
  const flowExists = (pk: string) => state.flows.get(pk) !== undefined;
  checkUuidPk(errors, "authentication_flow", data.authentication_flow, flowExists);
  checkUuidPk(errors, "authorization_flow", data.authorization_flow, flowExists);
  checkUuidPk(errors, "invalidation_flow", data.invalidation_flow, flowExists);
  checkManyPks<string>(
    errors,
    "property_mappings",
    data.property_mappings,
    (pk) => state.scopeMappings.get(pk) !== undefined,
  );
  // No JWT sources exist in the simulator, so any listed source is unknown.
  checkManyPks<string>(errors, "jwt_federation_sources", data.jwt_federation_sources, () => false);
  checkManyPks<number>(
    errors,
    "jwt_federation_providers",
    data.jwt_federation_providers,
    (pk) => state.providers.get(pk)?.kind === "oauth2",
  );
}

/** Django's URLValidator(schemes=("http", "https")) as authentik's DomainlessURLValidator uses it. */
export function checkHttpUrl(errors: FieldErrors, field: string, value: unknown): void {
  if (errors.has(field) || typeof value !== "string" || value === "") return;
  if (!/^https?:\/\/[^\s/?#]+([/?#]\S*)?$/i.test(value)) errors.add(field, "Enter a valid URL.");
}
