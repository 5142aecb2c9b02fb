import { createHash } from "node:crypto";
import { formatTimestamp } from "../clock.ts";
import type { GroupRecord, UserRecord } from "../records.ts";
import type { AuthentikState } from "../state.ts";

/**
 * How users and groups appear, in full and in the partial forms other objects embed
 * (group.users_obj, user.groups_obj, token.user_obj).
 */
export function renderUser(
  state: AuthentikState,
  user: UserRecord,
  options: { includeGroups?: boolean; includeRoles?: boolean } = {},
): Record<string, unknown> {
  const groups = user.groups
    .map((pk) => state.groups.get(pk))
    .filter((g): g is GroupRecord => g !== undefined);
  return {
    pk: user.pk,
    username: user.username,
    name: user.name,
    is_active: user.is_active,
    last_login: user.last_login === null ? null : formatTimestamp(user.last_login),
    date_joined: formatTimestamp(user.date_joined),
    is_superuser: state.isSuperuser(user),
    groups: user.groups,
    groups_obj: options.includeGroups === false ? null : groups.map(renderPartialGroup),
    roles: user.roles,
    roles_obj: options.includeRoles === false ? null : [],
    email: user.email,
    avatar: avatarUrl(user),
    attributes: user.attributes,
    uid: userUid(user),
    path: user.path,
    type: user.type,
    uuid: user.uuid,
    password_change_date: formatTimestamp(user.password_change_date),
    last_updated: formatTimestamp(user.last_updated),
  };
}

export function renderPartialUser(user: UserRecord): Record<string, unknown> {
  return {
    pk: user.pk,
    username: user.username,
    name: user.name,
    is_active: user.is_active,
    last_login: user.last_login === null ? null : formatTimestamp(user.last_login),
    email: user.email,
    attributes: user.attributes,
    uid: userUid(user),
  };
}

export function renderPartialGroup(group: GroupRecord): Record<string, unknown> {
  return {
    pk: group.pk,
    num_pk: group.num_pk,
    name: group.name,
    is_superuser: group.is_superuser,
    attributes: group.attributes,
  };
}

export function renderRelatedGroup(group: GroupRecord): Record<string, unknown> {
  return {
    pk: group.pk,
    name: group.name,
    is_superuser: group.is_superuser,
    attributes: group.attributes,
    group_uuid: group.pk,
  };
}

/** authentik hashes the install id with the user's pk; the simulator's install is its user uuid. */
function userUid(user: UserRecord): string {
  return createHash("sha256").update(`${user.uuid}-${user.pk}`).digest("hex");
}

/** The default avatar chain ends in a Gravatar URL for the e-mail address. */
function avatarUrl(user: UserRecord): string {
  const hash = createHash("md5").update(user.email.trim().toLowerCase()).digest("hex");
  return `https://secure.gravatar.com/avatar/${hash}?size=158&rating=g&default=404`;
}
