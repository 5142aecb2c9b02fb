import { afterEach, describe, expect, it } from "vitest";
import {
  errorOf,
  type SimulatorWithClient,
  startWithClient,
} from "../../../../test/helpers/authentik-sim-client.ts";

describe("/core/users/", () => {
  let env: SimulatorWithClient;
  afterEach(async () => env?.close());

  it("creates, reads, patches and deletes a user by integer id", async () => {
    env = await startWithClient();
    const group = await env.core.coreGroupsCreate({ groupRequest: { name: "family" } });
    const created = await env.core.coreUsersCreate({
      userRequest: { username: "alice", name: "Alice", email: "alice@lab.example.com", groups: [group.pk] },
    });
    expect(created).toMatchObject({
      username: "alice",
      isActive: true,
      isSuperuser: false,
      path: "users",
      type: "internal",
      groups: [group.pk],
    });
    expect(created.groupsObj?.map((g) => g.name)).toEqual(["family"]);
    expect(created.uid).toMatch(/^[0-9a-f]{64}$/);
    expect((await env.core.coreUsersList({ username: "alice" })).results.map((u) => u.pk)).toEqual([
      created.pk,
    ]);
    const patched = await env.core.coreUsersPartialUpdate({
      id: created.pk,
      patchedUserRequest: { isActive: false },
    });
    expect(patched).toMatchObject({ isActive: false, groups: [group.pk] });
    await env.core.coreUsersDestroy({ id: created.pk });
    expect(await errorOf(env.core.coreUsersRetrieve({ id: created.pk }))).toEqual({
      status: 404,
      body: { detail: "No User matches the given query." },
    });
  });

  it("clears groups on a PUT that leaves them out", async () => {
    env = await startWithClient();
    const group = await env.core.coreGroupsCreate({ groupRequest: { name: "media" } });
    const user = await env.core.coreUsersCreate({
      userRequest: { username: "bob", name: "Bob", groups: [group.pk] },
    });
    const put = await env.core.coreUsersUpdate({
      id: user.pk,
      userRequest: { username: "bob", name: "Bobby" },
    });
    expect(put).toMatchObject({ name: "Bobby", groups: [] });
  });

  it("derives is_superuser from the groups, parents included", async () => {
    env = await startWithClient();
    const admins = env.sim.state.groups.find((g) => g.name === "authentik Admins");
    const nested = await env.core.coreGroupsCreate({
      groupRequest: { name: "ops", parents: [admins?.pk ?? ""] },
    });
    const user = await env.core.coreUsersCreate({
      userRequest: { username: "carol", name: "", groups: [nested.pk] },
    });
    expect(user.isSuperuser).toBe(true);
    expect((await env.core.coreUsersList({ isSuperuser: true })).results.map((u) => u.username)).toEqual([
      "akadmin",
    ]);
    const slim = await env.core.coreUsersList({ includeGroups: false, username: "carol" });
    expect(slim.results[0]?.groupsObj ?? null).toBeNull();
  });

  it("says 'This field must be unique.' for a taken username", async () => {
    env = await startWithClient();
    expect(
      await errorOf(env.core.coreUsersCreate({ userRequest: { username: "akadmin", name: "x" } })),
    ).toEqual({
      status: 400,
      body: { username: ["This field must be unique."] },
    });
  });

  it("validates the path, the type and the groups", async () => {
    env = await startWithClient();
    const bad = await env.call("POST", "/api/v3/core/users/", {
      body: { username: "x", name: "x", path: "/users", type: "internal_service_account", groups: ["nope"] },
    });
    expect(bad.json).toEqual({
      path: ["No leading or trailing slashes allowed."],
      type: ["Setting a user to internal service account is not allowed."],
      groups: ["“nope” is not a valid UUID."],
    });
    const empty = await env.call("POST", "/api/v3/core/users/", {
      body: { username: "y", name: "", path: "a//b" },
    });
    expect(empty.json).toEqual({ path: ["No empty segments in user path allowed."] });
    const outpostUser = env.sim.state.users.find((u) => u.type === "internal_service_account");
    const change = await env.call("PATCH", `/api/v3/core/users/${outpostUser?.pk}/`, {
      body: { type: "internal" },
    });
    expect(change.json).toEqual({ type: ["Can't change internal service account to other user type."] });
  });

  it("deletes the user's tokens with the user", async () => {
    env = await startWithClient();
    const user = env.sim.state.addUser({ username: "dave" });
    env.sim.state.addToken({ identifier: "dave-token", user: user.pk });
    await env.core.coreUsersDestroy({ id: user.pk });
    expect(env.sim.state.tokens.find((t) => t.identifier === "dave-token")).toBeUndefined();
  });
});
