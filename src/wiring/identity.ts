import type { HomelabConfig } from "../config/schema.ts";
import type { DesiredResource, ResourceRef } from "../engine/resource.ts";
import { outputOf } from "../engine/resource.ts";
import { groupNamed } from "../providers/authentik/lookups.ts";

type Identity = NonNullable<HomelabConfig["identity"]>;

const groupRef = (name: string): ResourceRef => ({ target: "authentik", kind: "group", key: name });

/**
 * identity.groups and identity.users as Authentik objects. A group named but not declared (one
 * of Authentik's built-in groups, say) is looked up by name in Authentik instead of created.
 */
export function identityResources(identity: Identity | undefined): DesiredResource[] {
  if (!identity) return [];
  const declared = new Set(identity.groups.map((group) => group.name));
  const membership = (name: string) =>
    declared.has(name) ? outputOf(groupRef(name), "pk") : groupNamed(name);
  const groups: DesiredResource[] = identity.groups.map((group, index) => ({
    ref: groupRef(group.name),
    origin: `config identity.groups[${index}]`,
    spec: {
      name: group.name,
      isSuperuser: group.superuser ?? false,
      parents: (group.parents ?? []).map(membership),
      attributes: group.attributes ?? {},
    },
  }));
  const users: DesiredResource[] = identity.users.map((user, index) => ({
    ref: { target: "authentik", kind: "user", key: user.username },
    origin: `config identity.users[${index}]`,
    dependsOn: (user.groups ?? []).filter((name) => declared.has(name)).map(groupRef),
    spec: {
      username: user.username,
      name: user.name,
      ...(user.email ? { email: user.email } : {}),
      isActive: user.active,
      ...(user.type ? { type: user.type } : {}),
      groups: (user.groups ?? []).map(membership),
    },
  }));
  return [...groups, ...users];
}
