import { modelRef } from "../audit-events.ts";
import { DAY_MS, formatTimestamp } from "../clock.ts";
import { validationFailed } from "../errors.ts";
import { boolean, exact, type ListSpec } from "../list-query.ts";
import type { OperationContext, OperationHandler } from "../operation.ts";
import { requireCaller, requireSuperuser } from "../operation.ts";
import { generateId, TOKEN_KEY_LENGTH } from "../random-values.ts";
import type { TokenRecord } from "../records.ts";
import type { AuthentikState } from "../state.ts";
import { renderUser } from "./identity-render.ts";
import { listResponse } from "./list-response.ts";
import { byField } from "./object-lookup.ts";
import { checkIntegerPk, checkUnique } from "./relation-checks.ts";

/**
 * /core/tokens/ (looked up by identifier). TokenSerializer.validate() runs on every write,
 * partial ones included, and fills what the request leaves out: `user` becomes the caller and
 * `intent` becomes "api" — so a PATCH that omits them re-owns the token and turns an
 * app_password into an API token. For API tokens it then overwrites `expires` with now + 1 day,
 * whatever was sent. The key never appears in the token object: view_key shows it (and logs a
 * secret_view event), set_key replaces it.
 */
const TOKEN_EXPIRING_ATTRIBUTE = "goauthentik.io/user/token-expires";
const MAX_LIFETIME_ATTRIBUTE = "goauthentik.io/user/token-maximum-lifetime";

export function tokenHandlers(): OperationHandler[] {
  return [
    {
      operationId: "core_tokens_list",
      handle: (ctx) => {
        const caller = requireCaller(ctx);
        const { state } = ctx;
        const spec: ListSpec<TokenRecord> = {
          filters: {
            identifier: exact((t) => t.identifier),
            intent: exact((t) => t.intent),
            user__username: exact((t) => state.users.get(t.user)?.username),
            description: exact((t) => t.description),
            expiring: boolean((t) => t.expiring),
            managed: exact((t) => t.managed),
          },
          searchFields: (t) => [t.identifier, t.intent, state.users.get(t.user)?.username, t.description],
          ordering: ["identifier", "expires"],
        };
        const rows = state.tokens.all().filter((t) => caller.isSuperuser || t.user === caller.user.pk);
        return listResponse(rows, ctx.query, spec, (t) => renderToken(state, t));
      },
    },
    {
      operationId: "core_tokens_create",
      handle: (ctx) => {
        const caller = requireCaller(ctx);
        const attrs = validate(ctx, undefined);
        if (!caller.isSuperuser) {
          attrs.user = caller.user.pk;
          attrs.expiring = caller.user.attributes[TOKEN_EXPIRING_ATTRIBUTE] !== false;
        }
        const token = ctx.state.addToken(attrs as TokenRecord);
        ctx.record("model_created", ref(token));
        return { status: 201, body: renderToken(ctx.state, token) };
      },
    },
    {
      operationId: "core_tokens_retrieve",
      handle: (ctx) => ({ status: 200, body: renderToken(ctx.state, find(ctx)) }),
    },
    { operationId: "core_tokens_update", handle: update },
    { operationId: "core_tokens_partial_update", handle: update },
    {
      operationId: "core_tokens_destroy",
      handle: (ctx) => {
        const token = find(ctx);
        ctx.state.tokens.delete(token.pk);
        ctx.record("model_deleted", ref(token));
        return { status: 204 };
      },
    },
    {
      operationId: "core_tokens_view_key_retrieve",
      handle: (ctx) => {
        const token = find(ctx);
        ctx.record("secret_view", ref(token));
        return { status: 200, body: { key: token.key } };
      },
    },
    {
      operationId: "core_tokens_set_key_create",
      handle: (ctx) => {
        const token = find(ctx);
        requireSuperuser(ctx);
        const input = ctx.input();
        input.errors.throwIfAny();
        token.key = String(input.data.key);
        ctx.record("model_updated", ref(token));
        return { status: 204 };
      },
    },
  ];
}

/** Owners see their own tokens; superusers see all. Expired tokens are found too. */
function find(ctx: OperationContext): TokenRecord {
  const caller = requireCaller(ctx);
  const token = ctx.state.tokens.find((t) => t.identifier === ctx.params.identifier);
  const visible = token !== undefined && (caller.isSuperuser || token.user === caller.user.pk);
  return byField(ctx.state.tokens, (t) => t === token, "Token", visible);
}

function update(ctx: OperationContext) {
  const token = find(ctx);
  Object.assign(token, validate(ctx, token));
  ctx.record("model_updated", ref(token));
  return { status: 200, body: renderToken(ctx.state, token) };
}

/** Field checks, then TokenSerializer.validate(); returns the attributes to save. */
function validate(ctx: OperationContext, self: TokenRecord | undefined): Partial<TokenRecord> {
  const caller = requireCaller(ctx);
  const { state } = ctx;
  const { data, errors } = ctx.input();
  checkUnique(
    errors,
    "identifier",
    typeof data.identifier === "string" &&
      state.tokens.find((t) => t.identifier === data.identifier && t !== self) !== undefined,
    "Token with this identifier already exists.",
  );
  checkIntegerPk(errors, "user", data.user, (pk) => state.users.get(pk) !== undefined);
  if (self && typeof data.user === "number" && !errors.has("user") && data.user !== self.user) {
    errors.add("user", "User cannot be changed");
  }
  errors.throwIfAny();

  const attrs: Partial<TokenRecord> = {};
  for (const key of ["identifier", "description", "expiring", "managed"] as const) {
    if (key in data) (attrs as Record<string, unknown>)[key] = data[key];
  }
  if ("expires" in data) attrs.expires = data.expires === null ? null : Date.parse(String(data.expires));
  attrs.user = typeof data.user === "number" ? data.user : caller.user.pk;
  attrs.intent = (data.intent as TokenRecord["intent"] | undefined) ?? "api";
  if (attrs.intent !== "api" && attrs.intent !== "app_password") {
    throw validationFailed({ intent: [`Invalid intent ${attrs.intent}`] });
  }
  const defaultExpiry = state.now() + DAY_MS;
  if (attrs.intent === "api") {
    attrs.expires = defaultExpiry;
  } else if (attrs.expires !== undefined && attrs.expires !== null) {
    const owner = state.users.get(attrs.user);
    const maxLifetime = maximumLifetime(state, owner?.attributes[MAX_LIFETIME_ATTRIBUTE]) ?? defaultExpiry;
    if (attrs.expires > maxLifetime) {
      throw validationFailed({
        expires: [`Token expires exceeds maximum lifetime (${pythonDatetime(maxLifetime)} UTC).`],
      });
    }
  }
  if (!self) attrs.key = generateId(TOKEN_KEY_LENGTH);
  return attrs;
}

function maximumLifetime(state: AuthentikState, value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const match = /^(weeks|days|hours|minutes|seconds)=(\d+)$/.exec(value);
  if (!match) return undefined;
  const unit = { weeks: 7 * DAY_MS, days: DAY_MS, hours: 3_600_000, minutes: 60_000, seconds: 1000 }[
    match[1] as "days"
  ];
  return state.now() + unit * Number(match[2]);
}

/** str(datetime) in Python: "2026-01-02 03:04:05.678000+00:00". */
function pythonDatetime(epochMs: number): string {
  return formatTimestamp(epochMs).replace("T", " ").replace("Z", "+00:00");
}

function ref(token: TokenRecord) {
  return modelRef("authentik_core", "token", token.pk, token.identifier);
}

export function renderToken(state: AuthentikState, token: TokenRecord): Record<string, unknown> {
  const user = state.users.get(token.user);
  return {
    pk: token.pk,
    managed: token.managed,
    identifier: token.identifier,
    intent: token.intent,
    user: token.user,
    ...(user ? { user_obj: renderUser(state, user) } : {}),
    description: token.description,
    expires: token.expires === null ? null : formatTimestamp(token.expires),
    expiring: token.expiring,
  };
}
