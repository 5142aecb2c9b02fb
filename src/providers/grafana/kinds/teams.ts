import { z } from "zod";
import { diffFields, type FieldChange } from "../../../engine/field-diff.ts";
import type { ResourceKind } from "../../../engine/resource-kind.ts";
import { AutopilotError } from "../../../errors/autopilot-error.ts";
import { allPages, call, DETAIL_READS, deleteIfExists, mapConcurrently } from "../api.ts";
import type { GrafanaSession } from "../session.ts";

export interface TeamSpec extends Record<string, unknown> {
  name: string;
  email: string;
  /** Logins or emails of every member; absent: membership is not managed. */
  members?: string[];
  /** The members' emails, which is what Grafana's PUT …/members takes; filled in by `prepare`. */
  memberEmails?: string[];
}

export interface ObservedTeam {
  id: number;
  name: string;
  email: string;
  /** Read for teams whose members the config manages. */
  members?: { login: string; email: string }[];
}

const teamSchema = z.object({ id: z.number(), name: z.string(), email: z.string().optional() }).passthrough();
const pageSchema = z.object({ teams: z.array(teamSchema) }).passthrough();
const createdSchema = z.object({ teamId: z.number() }).passthrough();
const memberSchema = z.object({ login: z.string(), email: z.string().optional() }).passthrough();
const messageSchema = z.object({ message: z.string().optional() }).passthrough();
const orgUserSchema = z.object({ login: z.string(), email: z.string() }).passthrough();
const orgUsers = new WeakMap<GrafanaSession, Promise<z.infer<typeof orgUserSchema>[]>>();

const KIND = "team";
const PAGE = 100;
const BY_ID = "/api/teams/{id}";
const MEMBERS = "/api/teams/{id}/members";

/**
 * Teams, keyed by name (unique per organisation). Members are read only for teams whose config
 * lists them, and set as a whole with PUT …/members (by email), which replaces the membership
 * in one request instead of one add or remove per person.
 */
export const teamKind: ResourceKind<TeamSpec, ObservedTeam, GrafanaSession> = {
  kind: KIND,
  keyOf: (team) => team.name,
  idOf: (team) => String(team.id),
  async prepare(session, spec) {
    if (!spec.members) return spec;
    session.interest.add(KIND, spec.name);
    return { ...spec, memberEmails: await emailsOf(session, spec.members) };
  },
  async list(session) {
    const teams = await allPages(PAGE, async (page) => {
      const result = await call(session.http, "GET", "/api/teams/search", pageSchema, "team page", {
        route: "/api/teams/search",
        query: { perpage: PAGE, page },
      });
      return result.teams;
    });
    return mapConcurrently(teams, DETAIL_READS, async (team): Promise<ObservedTeam> => {
      const observed = { id: team.id, name: team.name, email: team.email ?? "" };
      if (!session.interest.has(KIND, team.name)) return observed;
      return { ...observed, members: await membersOf(session, team.id) };
    });
  },
  async read(session, name) {
    const result = await call(session.http, "GET", "/api/teams/search", pageSchema, "team page", {
      route: "/api/teams/search",
      query: { name, perpage: PAGE, page: 1 },
    });
    const team = result.teams.find((item) => item.name === name);
    if (!team) return undefined;
    return {
      id: team.id,
      name: team.name,
      email: team.email ?? "",
      members: await membersOf(session, team.id),
    };
  },
  diff: (spec, team) => teamChanges(spec, team),
  async create(session, spec) {
    const created = await call(session.http, "POST", "/api/teams", createdSchema, "team", {
      route: "/api/teams",
      body: { name: spec.name, email: spec.email },
    });
    const team: ObservedTeam = { id: created.teamId, name: spec.name, email: spec.email };
    if (spec.members) await setMembers(session, team.id, spec.memberEmails ?? spec.members);
    return team;
  },
  async update(session, spec, team, changes) {
    if (changes.some((change) => change.path === "email" || change.path === "name")) {
      await call(session.http, "PUT", `/api/teams/${team.id}`, messageSchema, "team update answer", {
        route: BY_ID,
        body: { name: spec.name, email: spec.email },
      });
    }
    if (spec.members && changes.some((change) => change.path === "members")) {
      await setMembers(session, team.id, spec.memberEmails ?? spec.members);
    }
    return { ...team, email: spec.email };
  },
  async delete(session, team) {
    await deleteIfExists(session.http, `/api/teams/${team.id}`, BY_ID);
  },
  output: (team, field) => (team as unknown as Record<string, unknown>)[field],
};

export function teamChanges(spec: TeamSpec, team: ObservedTeam): FieldChange[] {
  const changes = diffFields({ name: spec.name, email: spec.email }, { ...team });
  if (spec.members) {
    const members = team.members ?? [];
    const matches = (entry: string, member: { login: string; email: string }) =>
      entry === member.login || entry === member.email;
    const missing = spec.members.filter((entry) => !members.some((member) => matches(entry, member)));
    const extra = members.filter((member) => !spec.members?.some((entry) => matches(entry, member)));
    if (missing.length > 0 || extra.length > 0) {
      changes.push({
        path: "members",
        before: members.map((member) => member.login).sort(),
        after: [...spec.members].sort(),
      });
    }
  }
  return changes;
}

/**
 * Members are named by login (or email) in the config; Grafana's bulk membership PUT takes
 * emails. The organisation's users are listed once per session to translate; a name Grafana
 * does not know yet (someone who never signed in) makes the team invalid for this run.
 */
async function emailsOf(session: GrafanaSession, members: readonly string[]): Promise<string[]> {
  let users = orgUsers.get(session);
  if (!users) {
    users = call(session.http, "GET", "/api/org/users", z.array(orgUserSchema), "organisation users", {
      route: "/api/org/users",
    });
    orgUsers.set(session, users);
  }
  const known = await users;
  return members.map((member) => {
    const user = known.find((candidate) => candidate.login === member || candidate.email === member);
    if (!user) {
      throw new AutopilotError("not-found", `grafana has no user "${member}" in this organisation`, {
        hint: "users appear in Grafana after their first sign-in; add them then, or remove them from the team",
      });
    }
    return user.email;
  });
}

async function membersOf(session: GrafanaSession, id: number): Promise<{ login: string; email: string }[]> {
  const members = await call(
    session.http,
    "GET",
    `/api/teams/${id}/members`,
    z.array(memberSchema),
    "team members",
    {
      route: MEMBERS,
    },
  );
  return members.map((member) => ({ login: member.login, email: member.email ?? "" }));
}

async function setMembers(session: GrafanaSession, id: number, members: readonly string[]): Promise<void> {
  await call(session.http, "PUT", `/api/teams/${id}/members`, messageSchema, "team members answer", {
    route: MEMBERS,
    body: { members, admins: [] },
  });
}
