import type { PendingIssue } from "./config-issue.ts";
import type { HomelabConfig } from "./schema.ts";
import { duplicateNames, type SemanticContext } from "./semantic-helpers.ts";

type Identity = NonNullable<HomelabConfig["identity"]>;

/** Group names unique, parents declared and acyclic; usernames unique; users' groups declared. */
export function checkIdentity(identity: Identity, context: SemanticContext): PendingIssue[] {
  const issues: PendingIssue[] = [
    ...duplicateNames(
      context,
      ["identity", "groups"],
      identity.groups,
      "name",
      "group",
      (group) => group.name,
    ),
    ...duplicateNames(
      context,
      ["identity", "users"],
      identity.users,
      "username",
      "username",
      (user) => user.username,
    ),
  ];
  const declared = new Set(identity.groups.map((group) => group.name));

  identity.users.forEach((user, userIndex) => {
    user.groups?.forEach((group, groupIndex) => {
      if (declared.has(group)) return;
      issues.push({
        path: ["identity", "users", userIndex, "groups", groupIndex],
        rule: "undeclared-group",
        predicate: `names the group ${JSON.stringify(group)}, which identity.groups does not declare`,
        hint: "declare it under identity.groups, unless it is a group that already exists in Authentik",
        severity: "warning",
      });
    });
  });

  identity.groups.forEach((group, groupIndex) => {
    group.parents?.forEach((parent, parentIndex) => {
      if (declared.has(parent)) return;
      issues.push({
        path: ["identity", "groups", groupIndex, "parents", parentIndex],
        rule: "unknown-parent",
        predicate: `names the group ${JSON.stringify(parent)}, which identity.groups does not declare`,
        hint: "parents must be declared in identity.groups",
      });
    });
  });

  return [...issues, ...parentCycles(identity)];
}

/** One issue per cycle in the parent graph, at the edge that closes it. */
function parentCycles(identity: Identity): PendingIssue[] {
  const indexByName = new Map(identity.groups.map((group, index) => [group.name, index] as const));
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const issues: PendingIssue[] = [];

  const visit = (name: string): void => {
    state.set(name, "visiting");
    stack.push(name);
    const index = indexByName.get(name) as number;
    identity.groups[index]?.parents?.forEach((parent, parentIndex) => {
      if (!indexByName.has(parent)) return;
      if (state.get(parent) === "visiting") {
        const cycle = [...stack.slice(stack.indexOf(parent)), parent];
        issues.push({
          path: ["identity", "groups", index, "parents", parentIndex],
          rule: "group-cycle",
          predicate: `closes a cycle of group parents: ${cycle.join(" → ")}`,
          hint: "a group cannot inherit from itself, directly or through other groups",
        });
      } else if (state.get(parent) === undefined) {
        visit(parent);
      }
    });
    stack.pop();
    state.set(name, "done");
  };

  for (const group of identity.groups) {
    if (state.get(group.name) === undefined) visit(group.name);
  }
  return issues;
}
