import { randomBytes } from "node:crypto";
import { Clock, DAY_MS } from "./clock.ts";
import { Collection } from "./collection.ts";
import { applyProxyOAuthDefaults } from "./proxy-oauth-defaults.ts";
import {
  CLIENT_ID_LENGTH,
  CLIENT_SECRET_LENGTH,
  generateId,
  newUuid,
  TOKEN_KEY_LENGTH,
} from "./random-values.ts";
import type {
  ApplicationRecord,
  EventRecord,
  FlowRecord,
  GroupRecord,
  KeypairRecord,
  OAuth2ProviderRecord,
  OutpostRecord,
  ProviderRecord,
  ProxyProviderRecord,
  ScopeMappingRecord,
  TokenRecord,
  UserRecord,
} from "./records.ts";

type With<T, K extends keyof T> = Pick<T, K> & Partial<T>;

/**
 * The simulated authentik database. Handlers and tests share it: tests use the `add*` builders
 * to create objects "by hand" (with the same defaults the API applies), read tables directly and
 * count rows. `clock` is the simulator's "now".
 */
export class AuthentikState {
  readonly clock = new Clock();
  readonly applications = new Collection<string, ApplicationRecord>((row) => row.pk);
  /** OAuth2 and proxy providers share one table and one id sequence, as in authentik. */
  readonly providers = new Collection<number, ProviderRecord>((row) => row.pk);
  readonly outposts = new Collection<string, OutpostRecord>((row) => row.pk);
  readonly groups = new Collection<string, GroupRecord>((row) => row.pk);
  readonly users = new Collection<number, UserRecord>((row) => row.pk);
  readonly tokens = new Collection<string, TokenRecord>((row) => row.pk);
  readonly flows = new Collection<string, FlowRecord>((row) => row.pk);
  readonly keypairs = new Collection<string, KeypairRecord>((row) => row.pk);
  readonly scopeMappings = new Collection<string, ScopeMappingRecord>((row) => row.pk);
  readonly events = new Collection<string, EventRecord>((row) => row.pk);
  #providerSeq = 0;
  #userSeq = 1; // pk 1 is guardian's AnonymousUser, which the API never shows
  #groupSeq = 0;

  now(): number {
    return this.clock.now();
  }

  addApplication(input: With<ApplicationRecord, "name" | "slug">): ApplicationRecord {
    return this.applications.insert({
      pk: newUuid(),
      provider: null,
      backchannel_providers: [],
      open_in_new_tab: false,
      meta_launch_url: "",
      meta_icon: "",
      meta_description: "",
      meta_publisher: "",
      policy_engine_mode: "any",
      group: "",
      meta_hide: false,
      ...input,
    });
  }

  addOAuth2Provider(
    input: With<OAuth2ProviderRecord, "name" | "authorization_flow" | "invalidation_flow">,
  ): OAuth2ProviderRecord {
    const record: OAuth2ProviderRecord = {
      pk: ++this.#providerSeq,
      authentication_flow: null,
      property_mappings: [],
      client_type: "confidential",
      grant_types: [],
      client_id: generateId(CLIENT_ID_LENGTH),
      client_secret: generateId(CLIENT_SECRET_LENGTH),
      access_code_validity: "minutes=1",
      access_token_validity: "hours=1",
      refresh_token_validity: "days=30",
      refresh_token_threshold: "seconds=0",
      include_claims_in_id_token: true,
      signing_key: null,
      encryption_key: null,
      redirect_uris: [],
      logout_uri: "",
      logout_method: "backchannel",
      sub_mode: "hashed_user_id",
      issuer_mode: "per_provider",
      jwt_federation_sources: [],
      jwt_federation_providers: [],
      ...input,
      kind: "oauth2",
    };
    this.#providerSeq = Math.max(this.#providerSeq, record.pk);
    return this.providers.insert(record) as OAuth2ProviderRecord;
  }

  addProxyProvider(
    input: With<ProxyProviderRecord, "name" | "authorization_flow" | "invalidation_flow" | "external_host">,
  ): ProxyProviderRecord {
    const record: ProxyProviderRecord = {
      pk: ++this.#providerSeq,
      authentication_flow: null,
      property_mappings: [],
      client_id: generateId(CLIENT_ID_LENGTH),
      client_secret: generateId(CLIENT_SECRET_LENGTH),
      redirect_uris: [],
      access_token_validity: "hours=24",
      refresh_token_validity: "days=30",
      jwt_federation_sources: [],
      jwt_federation_providers: [],
      internal_host: "",
      internal_host_ssl_validation: true,
      certificate: null,
      skip_path_regex: "",
      basic_auth_enabled: false,
      basic_auth_password_attribute: "",
      basic_auth_user_attribute: "",
      mode: "proxy",
      intercept_header_auth: true,
      cookie_domain: "",
      ...input,
      kind: "proxy",
    };
    this.#providerSeq = Math.max(this.#providerSeq, record.pk);
    applyProxyOAuthDefaults(record, this.scopeMappings);
    return this.providers.insert(record) as ProxyProviderRecord;
  }

  addOutpost(input: With<OutpostRecord, "name" | "type">): OutpostRecord {
    return this.outposts.insert({
      pk: newUuid(),
      providers: [],
      service_connection: null,
      config: {},
      managed: null,
      ...input,
    });
  }

  addGroup(input: With<GroupRecord, "name">): GroupRecord {
    const record: GroupRecord = {
      pk: newUuid(),
      num_pk: ++this.#groupSeq,
      is_superuser: false,
      parents: [],
      attributes: {},
      roles: [],
      ...input,
    };
    this.#groupSeq = Math.max(this.#groupSeq, record.num_pk);
    return this.groups.insert(record);
  }

  addUser(input: With<UserRecord, "username">): UserRecord {
    const now = this.now();
    const record: UserRecord = {
      pk: ++this.#userSeq,
      uuid: newUuid(),
      name: "",
      is_active: true,
      last_login: null,
      email: "",
      attributes: {},
      path: "users",
      type: "internal",
      groups: [],
      roles: [],
      date_joined: now,
      last_updated: now,
      password_change_date: now,
      ...input,
    };
    this.#userSeq = Math.max(this.#userSeq, record.pk);
    return this.users.insert(record);
  }

  /** A token; an API token's key works as a bearer for `user` until `expires` (unless not expiring). */
  addToken(input: With<TokenRecord, "identifier" | "user">): TokenRecord {
    return this.tokens.insert({
      pk: newUuid(),
      key: generateId(TOKEN_KEY_LENGTH),
      intent: "api",
      description: "",
      expires: this.now() + DAY_MS,
      expiring: true,
      managed: null,
      ...input,
    });
  }

  addFlow(input: With<FlowRecord, "slug" | "name" | "designation">): FlowRecord {
    return this.flows.insert({
      pk: newUuid(),
      title: input.name,
      background: "",
      policy_engine_mode: "any",
      compatibility_mode: false,
      layout: "stacked",
      denied_action: "message_continue",
      authentication: "none",
      ...input,
    });
  }

  addKeypair(input: With<KeypairRecord, "name">): KeypairRecord {
    const fingerprint = (bytes: number) => (randomBytes(bytes).toString("hex").match(/../g) ?? []).join(":");
    return this.keypairs.insert({
      pk: newUuid(),
      managed: null,
      private_key_available: true,
      fingerprint_sha256: fingerprint(32),
      fingerprint_sha1: fingerprint(20),
      cert_expiry: this.now() + 365 * DAY_MS,
      cert_subject: `CN=${input.name}`,
      key_type: "rsa",
      ...input,
    });
  }

  addScopeMapping(input: With<ScopeMappingRecord, "name" | "scope_name">): ScopeMappingRecord {
    return this.scopeMappings.insert({
      pk: newUuid(),
      managed: null,
      expression: "return {}",
      description: "",
      ...input,
    });
  }

  /** Whether any of the user's groups, or their ancestors, grants superuser. */
  isSuperuser(user: UserRecord): boolean {
    const seen = new Set<string>();
    const pending = [...user.groups];
    while (pending.length > 0) {
      const pk = pending.pop() as string;
      if (seen.has(pk)) continue;
      seen.add(pk);
      const group = this.groups.get(pk);
      if (!group) continue;
      if (group.is_superuser) return true;
      pending.push(...group.parents);
    }
    return false;
  }

  /** The token a bearer key authenticates as: an API token that has not expired. */
  apiTokenByKey(key: string): TokenRecord | undefined {
    const now = this.now();
    return this.tokens.find(
      (t) => t.key === key && t.intent === "api" && (!t.expiring || (t.expires !== null && t.expires > now)),
    );
  }
}
