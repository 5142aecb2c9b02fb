import { randomInt } from "node:crypto";
import type {
  ContactPointRecord,
  DashboardRecord,
  DatasourceRecord,
  OrgRecord,
  OrgRole,
  PolicyTreeRecord,
  SsoSettingsRecord,
  TokenRecord,
  UserRecord,
} from "./models.ts";
import { SimClock } from "./sim-clock.ts";

/**
 * Everything the Grafana simulator knows, in memory. Tests reach in here to change things
 * "behind Autopilot's back" (a colleague edits a datasource, a dashboard is saved from the UI),
 * which is exactly the drift the real product must notice.
 */
export type TitleUniqueness = "none" | "per-folder";

export interface GrafanaStateOptions {
  adminUser: string;
  adminPassword: string;
  titleUniqueness: TitleUniqueness;
  now?: () => number;
}

/** Ids come from shared tables in Grafana: users and service accounts share one sequence, so do folders and dashboards. */
type Sequence = "user" | "dashboard" | "datasource" | "team" | "token" | "alertRule" | "org";

const UID_FIRST = "abcdefghijklmnopqrstuvwxyz";
const UID_REST = "abcdefghijklmnopqrstuvwxyz0123456789";

/** A uid like Grafana's GenerateShortUID: 14 lower-case characters, starting with a letter. */
export function shortUid(): string {
  let uid = UID_FIRST[randomInt(UID_FIRST.length)] as string;
  for (let i = 0; i < 13; i++) uid += UID_REST[randomInt(UID_REST.length)];
  return uid;
}

export const DEFAULT_RECEIVER = "grafana-default-email";

export function defaultPolicyRoute(): Record<string, unknown> {
  return { receiver: DEFAULT_RECEIVER, group_by: ["grafana_folder", "alertname"] };
}

export class GrafanaState {
  readonly clock: SimClock;
  readonly titleUniqueness: TitleUniqueness;
  readonly users = new Map<number, UserRecord>();
  readonly orgs = new Map<number, OrgRecord>();
  /** SSO settings stored through the API, by provider; absent = "system" (ini/env) settings. */
  readonly sso = new Map<string, SsoSettingsRecord>();
  /** When true, /api/health answers 503 with "database": "failing". */
  databaseFailing = false;
  readonly #sequences = new Map<Sequence, number>();

  constructor(options: GrafanaStateOptions) {
    this.clock = new SimClock(options.now);
    this.titleUniqueness = options.titleUniqueness;
    const now = this.clock.iso();
    this.users.set(1, {
      id: this.nextId("user"),
      uid: shortUid(),
      login: options.adminUser,
      email: "admin@localhost",
      name: "",
      password: options.adminPassword,
      isServerAdmin: true,
      orgRoles: new Map(),
      created: now,
      updated: now,
    });
    this.createOrg("Main Org.");
  }

  nextId(sequence: Sequence): number {
    const next = (this.#sequences.get(sequence) ?? 0) + 1;
    this.#sequences.set(sequence, next);
    return next;
  }

  get admin(): UserRecord {
    return this.users.get(1) as UserRecord;
  }

  /** A new organisation; the server admin becomes its Admin, as the creator does in Grafana. */
  createOrg(name: string): OrgRecord {
    const id = this.nextId("org");
    const org: OrgRecord = {
      id,
      name,
      datasources: new Map(),
      folders: new Map(),
      dashboards: new Map(),
      serviceAccounts: new Map(),
      tokens: new Map(),
      teams: new Map(),
      contactPoints: [defaultContactPoint()],
      policy: { route: defaultPolicyRoute(), provenance: "" },
      alertRules: new Map(),
    };
    this.orgs.set(id, org);
    this.admin.orgRoles.set(id, "Admin");
    return org;
  }

  org(orgId = 1): OrgRecord {
    const org = this.orgs.get(orgId);
    if (!org) throw new Error(`no organisation ${orgId} in the Grafana simulator`);
    return org;
  }

  /** A plain user (for team membership and Basic auth tests). */
  createUser(input: {
    login: string;
    email?: string;
    name?: string;
    password?: string;
    role?: OrgRole;
    orgId?: number;
  }): UserRecord {
    const now = this.clock.iso();
    const user: UserRecord = {
      id: this.nextId("user"),
      uid: shortUid(),
      login: input.login,
      email: input.email ?? `${input.login}@example.com`,
      name: input.name ?? input.login,
      password: input.password ?? "",
      isServerAdmin: false,
      orgRoles: new Map([[input.orgId ?? 1, input.role ?? "Viewer"]]),
      created: now,
      updated: now,
    };
    this.users.set(user.id, user);
    return user;
  }

  /** Marks a datasource as provisioned from a file, so the API refuses to change it. */
  makeDatasourceReadOnly(uid: string, orgId = 1): DatasourceRecord {
    const datasource = this.org(orgId).datasources.get(uid);
    if (!datasource) throw new Error(`no datasource ${uid}`);
    datasource.readOnly = true;
    return datasource;
  }

  /** Someone saved the dashboard in the UI: same content, one version later. */
  bumpDashboardVersion(uid: string, orgId = 1): DashboardRecord {
    const dashboard = this.org(orgId).dashboards.get(uid);
    if (!dashboard) throw new Error(`no dashboard ${uid}`);
    dashboard.version += 1;
    dashboard.model.version = dashboard.version;
    dashboard.updated = this.clock.iso();
    return dashboard;
  }

  findToken(key: string): TokenRecord | undefined {
    for (const org of this.orgs.values()) {
      for (const token of org.tokens.values()) if (token.key === key) return token;
    }
    return undefined;
  }

  /** Revokes a token the way Grafana's secret scanning does (it stays listed, with isRevoked). */
  revokeToken(key: string): void {
    const token = this.findToken(key);
    if (!token) throw new Error("no such token");
    token.isRevoked = true;
  }

  policy(orgId = 1): PolicyTreeRecord {
    return this.org(orgId).policy;
  }
}

function defaultContactPoint(): ContactPointRecord {
  return {
    uid: shortUid(),
    name: DEFAULT_RECEIVER,
    type: "email",
    settings: { addresses: "<example@email.com>" },
    secureSettings: {},
    disableResolveMessage: false,
    provenance: "",
  };
}
