import type { SimResponse } from "../../common/sim-server.ts";
import { failLegacy } from "../errors.ts";
import type { OrgRecord, TeamRecord } from "../models.ts";
import {
  bodyObject,
  type GrafanaRoute,
  json,
  num,
  parseId,
  queryInt,
  type RouteContext,
  str,
} from "../route.ts";
import { shortUid } from "../state.ts";
import { avatarUrl } from "./service-accounts.ts";

/** /api/teams and their members (reference §7): numeric ids, 409 "Team name taken". */
const MEMBER = 0;
const ADMIN = 4;

export function teamRoutes(): GrafanaRoute[] {
  const write = { role: "Admin", permission: "teams:write" } as const;
  const membersRead = { role: "Admin", permission: "teams.permissions:read" } as const;
  const membersWrite = { role: "Admin", permission: "teams.permissions:write" } as const;
  return [
    {
      method: "POST",
      path: "/api/teams",
      access: { role: "Admin", permission: "teams:create" },
      bindsBody: true,
      handle: createTeam,
    },
    {
      method: "GET",
      path: "/api/teams/search",
      access: { role: "Admin", permission: "teams:read" },
      handle: searchTeams,
    },
    {
      method: "GET",
      path: "/api/teams/:id",
      access: { role: "Admin", permission: "teams:read" },
      handle: ({ org, params }) => json(200, teamDto(findTeam(org, params.id))),
    },
    { method: "PUT", path: "/api/teams/:id", access: write, bindsBody: true, handle: updateTeam },
    {
      method: "DELETE",
      path: "/api/teams/:id",
      access: { role: "Admin", permission: "teams:delete" },
      handle: ({ org, params }) => {
        const id = parseId(params.id) ?? failLegacy(400, "teamId is invalid");
        if (!org.teams.delete(id)) failLegacy(404, "Failed to delete Team. ID not found");
        return json(200, { message: "Team deleted" });
      },
    },
    { method: "GET", path: "/api/teams/:id/members", access: membersRead, handle: listMembers },
    {
      method: "POST",
      path: "/api/teams/:id/members",
      access: membersWrite,
      bindsBody: true,
      handle: addMember,
    },
    {
      method: "PUT",
      path: "/api/teams/:id/members",
      access: membersWrite,
      bindsBody: true,
      handle: setMembers,
    },
    { method: "DELETE", path: "/api/teams/:id/members/:userId", access: membersWrite, handle: removeMember },
  ];
}

function findTeam(org: OrgRecord, rawId: string | undefined): TeamRecord {
  const id = parseId(rawId) ?? failLegacy(400, "teamId is invalid");
  return org.teams.get(id) ?? failLegacy(404, "Team not found");
}

function teamDto(team: TeamRecord): Record<string, unknown> {
  return {
    id: team.id,
    uid: team.uid,
    orgId: team.orgId,
    name: team.name,
    email: team.email,
    avatarUrl: avatarUrl(team.email || team.name),
    memberCount: team.members.size,
    permission: 0,
    isProvisioned: false,
  };
}

function nameTaken(org: OrgRecord, name: string, self?: TeamRecord): boolean {
  return [...org.teams.values()].some((team) => team !== self && team.name === name);
}

function createTeam(context: RouteContext): SimResponse {
  const { org, state } = context;
  const body = bodyObject(context);
  const name = str(body.name);
  if (nameTaken(org, name)) failLegacy(409, "Team name taken");
  const team: TeamRecord = {
    id: state.nextId("team"),
    uid: shortUid(),
    orgId: org.id,
    name,
    email: str(body.email),
    members: new Map(),
  };
  org.teams.set(team.id, team);
  return json(200, { message: "Team created", teamId: team.id, uid: team.uid });
}

function updateTeam(context: RouteContext): SimResponse {
  const team = findTeam(context.org, context.params.id);
  const body = bodyObject(context);
  const name = str(body.name);
  if (nameTaken(context.org, name, team)) failLegacy(409, "Team name taken");
  team.name = name;
  team.email = str(body.email);
  return json(200, { message: "Team updated" });
}

function searchTeams({ org, query }: RouteContext): SimResponse {
  const perPage = queryInt(query, "perpage") > 0 ? queryInt(query, "perpage") : 1000;
  const page = Math.max(queryInt(query, "page"), 1);
  const text = (query.get("query") ?? "").toLowerCase();
  const exactName = query.get("name");
  const teams = [...org.teams.values()]
    .filter(
      (team) => team.name.toLowerCase().includes(text) && (exactName === null || team.name === exactName),
    )
    .sort((a, b) => a.name.localeCompare(b.name));
  return json(200, {
    totalCount: teams.length,
    teams: teams.slice((page - 1) * perPage, page * perPage).map(teamDto),
    page,
    perPage,
  });
}

function listMembers({ org, params, state }: RouteContext): SimResponse {
  const team = findTeam(org, params.id);
  const members = [...team.members].flatMap(([userId, permission]) => {
    const user = state.users.get(userId);
    if (!user) return [];
    return [
      {
        orgId: org.id,
        teamId: team.id,
        teamUID: team.uid,
        userId: user.id,
        userUID: user.uid,
        auth_module: "",
        email: user.email,
        name: user.name,
        login: user.login,
        avatarUrl: avatarUrl(user.email),
        labels: [],
        permission,
      },
    ];
  });
  return json(200, members);
}

function addMember(context: RouteContext): SimResponse {
  const team = findTeam(context.org, context.params.id);
  const userId = num(bodyObject(context).userId);
  if (team.members.has(userId)) failLegacy(400, "User is already added to this team");
  if (!context.state.users.has(userId)) failLegacy(500, "Failed to add Member to Team");
  team.members.set(userId, MEMBER);
  return json(200, { message: "Member added to Team" });
}

function removeMember({ org, params }: RouteContext): SimResponse {
  const team = findTeam(org, params.id);
  const userId = parseId(params.userId) ?? failLegacy(400, "userId is invalid");
  if (!team.members.delete(userId)) failLegacy(404, "Team member not found");
  return json(200, { message: "Team Member removed" });
}

/** Replaces the whole membership; users are named by email, as the handler looks them up. */
function setMembers(context: RouteContext): SimResponse {
  const team = findTeam(context.org, context.params.id);
  const body = bodyObject(context);
  const byEmail = (email: unknown) =>
    [...context.state.users.values()].find((user) => user.email === email) ??
    failLegacy(404, "user not found");
  const admins = (Array.isArray(body.admins) ? body.admins : []).map(byEmail);
  const members = (Array.isArray(body.members) ? body.members : []).map(byEmail);
  team.members.clear();
  for (const user of members) team.members.set(user.id, MEMBER);
  for (const user of admins) team.members.set(user.id, ADMIN);
  return json(200, { message: "Team memberships have been updated" });
}
