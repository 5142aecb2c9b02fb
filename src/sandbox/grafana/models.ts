/**
 * What the Grafana simulator stores, one record type per Grafana table. Records hold the data the
 * real server keeps (including secrets it never returns); the resource modules turn them into the
 * DTOs Grafana sends. Timestamps are RFC 3339 strings, as Grafana serialises them.
 */
export type OrgRole = "None" | "Viewer" | "Editor" | "Admin";

export interface UserRecord {
  id: number;
  uid: string;
  login: string;
  email: string;
  name: string;
  password: string;
  isServerAdmin: boolean;
  orgRoles: Map<number, OrgRole>;
  created: string;
  updated: string;
}

export interface DatasourceRecord {
  id: number;
  uid: string;
  orgId: number;
  name: string;
  type: string;
  access: string;
  url: string;
  user: string;
  database: string;
  basicAuth: boolean;
  basicAuthUser: string;
  withCredentials: boolean;
  isDefault: boolean;
  jsonData: Record<string, unknown>;
  /** Decrypted secure values; only key presence ever leaves the simulator. */
  secureJsonData: Record<string, string>;
  version: number;
  readOnly: boolean;
}

export interface FolderRecord {
  id: number;
  uid: string;
  orgId: number;
  title: string;
  description: string;
  /** "" for a folder at the root. */
  parentUid: string;
  version: number;
  created: string;
  updated: string;
  createdBy: string;
  updatedBy: string;
}

export interface DashboardRecord {
  id: number;
  uid: string;
  orgId: number;
  title: string;
  /** "" for the root ("General"). */
  folderUid: string;
  version: number;
  /** The stored model, with the id, uid, version and schemaVersion the server set. */
  model: Record<string, unknown>;
  created: string;
  updated: string;
  createdBy: string;
  updatedBy: string;
  provisioned: boolean;
  provisionedExternalId: string;
  /** Set for dashboards a plugin installed; saving them needs overwrite. */
  pluginId: string;
}

export interface ServiceAccountRecord {
  id: number;
  uid: string;
  orgId: number;
  name: string;
  login: string;
  role: OrgRole;
  isDisabled: boolean;
  created: string;
  updated: string;
}

export interface TokenRecord {
  id: number;
  orgId: number;
  serviceAccountId: number;
  name: string;
  key: string;
  created: string;
  /** Epoch milliseconds; undefined when the token never expires. */
  expiresAt: number | undefined;
  lastUsedAt: string | null;
  isRevoked: boolean;
}

export interface TeamRecord {
  id: number;
  uid: string;
  orgId: number;
  name: string;
  email: string;
  /** user id -> permission (0 member, 4 admin), in insertion order. */
  members: Map<number, number>;
}

export interface ContactPointRecord {
  uid: string;
  name: string;
  type: string;
  /** Settings without the secure keys. */
  settings: Record<string, unknown>;
  secureSettings: Record<string, string>;
  disableResolveMessage: boolean;
  /** "api", or "" (none): the UI may edit it. */
  provenance: string;
}

export interface AlertRuleRecord {
  id: number;
  uid: string;
  orgId: number;
  folderUid: string;
  ruleGroup: string;
  title: string;
  condition: string;
  data: unknown[];
  noDataState: string;
  execErrState: string;
  forSeconds: number;
  keepFiringForSeconds: number;
  annotations: Record<string, string>;
  labels: Record<string, string>;
  isPaused: boolean;
  notificationSettings: unknown;
  record: unknown;
  updated: string;
  provenance: string;
}

export interface PolicyTreeRecord {
  route: Record<string, unknown>;
  provenance: string;
}

export interface OrgRecord {
  id: number;
  name: string;
  datasources: Map<string, DatasourceRecord>;
  folders: Map<string, FolderRecord>;
  dashboards: Map<string, DashboardRecord>;
  serviceAccounts: Map<number, ServiceAccountRecord>;
  tokens: Map<number, TokenRecord>;
  teams: Map<number, TeamRecord>;
  contactPoints: ContactPointRecord[];
  policy: PolicyTreeRecord;
  alertRules: Map<string, AlertRuleRecord>;
}

export interface SsoSettingsRecord {
  id: string;
  /** camelCase keys, secrets in clear (masked only on the way out). */
  settings: Record<string, unknown>;
}
