import type { IncomingHttpHeaders } from "node:http";
import { tokenInvalid } from "./errors.ts";
import type { TokenRecord, UserRecord } from "./records.ts";
import type { AuthentikState } from "./state.ts";

/** Who is calling: the user behind an API token. */
export interface Caller {
  user: UserRecord;
  token: TokenRecord;
  isSuperuser: boolean;
}

/**
 * authentik's TokenAuthentication. A missing header, a header without a space or a scheme other
 * than Bearer counts as "no credentials" (null), which the view then refuses with 403 "not
 * provided" unless it allows anonymous access. A key that matches no live API token, or whose
 * user is inactive, fails with 403 "Token invalid/expired" on every endpoint, anonymous ones
 * included, because DRF authenticates before it looks at permissions. Never 401: authentik's
 * authentication classes send no WWW-Authenticate challenge.
 */
export function authenticate(headers: IncomingHttpHeaders, state: AuthentikState): Caller | null {
  const header = (headers.authorization ?? "").trim();
  if (header === "" || !header.includes(" ")) return null;
  const space = header.indexOf(" ");
  if (header.slice(0, space).toLowerCase() !== "bearer") return null;
  const key = header.slice(space + 1);
  const token = state.apiTokenByKey(key);
  if (!token) throw tokenInvalid();
  const user = state.users.get(token.user);
  if (!user?.is_active) throw tokenInvalid();
  return { user, token, isSuperuser: state.isSuperuser(user) };
}
