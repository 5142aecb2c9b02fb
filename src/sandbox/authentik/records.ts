/**
 * What the simulator stores: one record per database row, with the writable fields named as the
 * API names them (snake_case), so a handler copies validated input straight in. Fields the API
 * computes (provider_obj, users_obj, is_superuser, ...) are not stored; they are rendered.
 * Times are epoch milliseconds.
 */
export interface ApplicationRecord {
  pk: string;
  name: string;
  slug: string;
  provider: number | null;
  backchannel_providers: number[];
  open_in_new_tab: boolean;
  meta_launch_url: string;
  meta_icon: string;
  meta_description: string;
  meta_publisher: string;
  policy_engine_mode: "all" | "any";
  group: string;
  meta_hide: boolean;
}

export interface RedirectUri {
  matching_mode: "strict" | "regex";
  url: string;
  redirect_uri_type: "authorization" | "logout";
}

interface ProviderBase {
  pk: number;
  name: string;
  authentication_flow: string | null;
  authorization_flow: string;
  invalidation_flow: string;
  property_mappings: string[];
  client_id: string;
  client_secret: string;
  redirect_uris: RedirectUri[];
  access_token_validity: string;
  refresh_token_validity: string;
  jwt_federation_sources: string[];
  jwt_federation_providers: number[];
}

export interface OAuth2ProviderRecord extends ProviderBase {
  kind: "oauth2";
  client_type: "confidential" | "public";
  grant_types: string[];
  access_code_validity: string;
  refresh_token_threshold: string;
  include_claims_in_id_token: boolean;
  signing_key: string | null;
  encryption_key: string | null;
  logout_uri: string;
  logout_method: "backchannel" | "frontchannel";
  sub_mode: string;
  issuer_mode: "global" | "per_provider";
}

export interface ProxyProviderRecord extends ProviderBase {
  kind: "proxy";
  internal_host: string;
  external_host: string;
  internal_host_ssl_validation: boolean;
  certificate: string | null;
  skip_path_regex: string;
  basic_auth_enabled: boolean;
  basic_auth_password_attribute: string;
  basic_auth_user_attribute: string;
  mode: "proxy" | "forward_single" | "forward_domain";
  intercept_header_auth: boolean;
  cookie_domain: string;
}

export type ProviderRecord = OAuth2ProviderRecord | ProxyProviderRecord;

export interface OutpostRecord {
  pk: string;
  name: string;
  type: "proxy" | "ldap" | "radius" | "rac";
  providers: number[];
  service_connection: string | null;
  config: Record<string, unknown>;
  managed: string | null;
}

export interface GroupRecord {
  pk: string;
  num_pk: number;
  name: string;
  is_superuser: boolean;
  parents: string[];
  attributes: Record<string, unknown>;
  roles: string[];
}

export interface UserRecord {
  pk: number;
  uuid: string;
  username: string;
  name: string;
  is_active: boolean;
  last_login: number | null;
  email: string;
  attributes: Record<string, unknown>;
  path: string;
  type: "internal" | "external" | "service_account" | "internal_service_account";
  /** Group memberships live on the user, as the many-to-many rows do. */
  groups: string[];
  roles: string[];
  date_joined: number;
  last_updated: number;
  password_change_date: number;
}

export interface TokenRecord {
  pk: string;
  identifier: string;
  key: string;
  intent: "verification" | "api" | "recovery" | "app_password";
  user: number;
  description: string;
  expires: number | null;
  expiring: boolean;
  managed: string | null;
}

export interface FlowRecord {
  pk: string;
  slug: string;
  name: string;
  title: string;
  designation: string;
  background: string;
  policy_engine_mode: "all" | "any";
  compatibility_mode: boolean;
  layout: string;
  denied_action: string;
  authentication: string;
}

export interface KeypairRecord {
  pk: string;
  name: string;
  managed: string | null;
  private_key_available: boolean;
  fingerprint_sha256: string;
  fingerprint_sha1: string;
  cert_expiry: number;
  cert_subject: string;
  key_type: "rsa" | "ec";
}

export interface ScopeMappingRecord {
  pk: string;
  name: string;
  managed: string | null;
  expression: string;
  scope_name: string;
  description: string;
}

export interface EventRecord {
  pk: string;
  action: string;
  app: string;
  context: Record<string, unknown>;
  user: Record<string, unknown>;
  client_ip: string | null;
  created: number;
  expires: number;
  brand: Record<string, unknown>;
}
