import { afterEach, describe, expect, it } from "vitest";
import {
  errorOf,
  type SimulatorWithClient,
  startWithClient,
} from "../../../../test/helpers/authentik-sim-client.ts";

describe("/core/groups/", () => {
  let env: SimulatorWithClient;
  afterEach(async () => env?.close());

  it("starts with authentik Admins holding akadmin", async () => {
    env = await startWithClient();
    const admins = await env.core.coreGroupsList({ name: "authentik Admins" });
    expect(admins.results).toHaveLength(1);
    expect(admins.results[0]).toMatchObject({ isSuperuser: true });
    expect(admins.results[0]?.usersObj?.map((u) => u.username)).toEqual(["akadmin"]);
    const slim = await env.core.coreGroupsList({ includeUsers: false });
    expect(slim.results[0]?.usersObj ?? null).toBeNull();
  });

  it("empties the members on a PUT without users, but not on a PATCH", async () => {
    env = await startWithClient();
    const alice = env.sim.state.addUser({ username: "alice" });
    const group = await env.core.coreGroupsCreate({ groupRequest: { name: "family", users: [alice.pk] } });
    expect(group.users).toEqual([alice.pk]);
    const patched = await env.core.coreGroupsPartialUpdate({
      groupUuid: group.pk,
      patchedGroupRequest: { attributes: { color: "blue" } },
    });
    expect(patched.users).toEqual([alice.pk]);
    const put = await env.core.coreGroupsUpdate({ groupUuid: group.pk, groupRequest: { name: "family" } });
    expect(put.users).toEqual([]);
    expect(put.attributes).toEqual({ color: "blue" });
    expect(env.sim.state.users.get(alice.pk)?.groups).toEqual([]);
  });

  it("adds and removes one member with add_user/remove_user, 404 for an unknown user", async () => {
    env = await startWithClient();
    const bob = env.sim.state.addUser({ username: "bob" });
    const group = await env.core.coreGroupsCreate({ groupRequest: { name: "media" } });
    await env.core.coreGroupsAddUserCreate({ groupUuid: group.pk, userAccountRequest: { pk: bob.pk } });
    expect((await env.core.coreGroupsRetrieve({ groupUuid: group.pk })).users).toEqual([bob.pk]);
    await env.core.coreGroupsRemoveUserCreate({ groupUuid: group.pk, userAccountRequest: { pk: bob.pk } });
    expect((await env.core.coreGroupsRetrieve({ groupUuid: group.pk })).users).toEqual([]);
    expect(
      await errorOf(
        env.core.coreGroupsAddUserCreate({ groupUuid: group.pk, userAccountRequest: { pk: 999 } }),
      ),
    ).toEqual({ status: 404, body: { detail: "Not found." } });
  });

  it("refuses a duplicate name, unknown members and a group as its own parent", async () => {
    env = await startWithClient();
    const group = await env.core.coreGroupsCreate({ groupRequest: { name: "ops" } });
    expect(await errorOf(env.core.coreGroupsCreate({ groupRequest: { name: "ops" } }))).toEqual({
      status: 400,
      body: { name: ["Group with this name already exists."] },
    });
    const bad = await env.call("POST", "/api/v3/core/groups/", {
      body: {
        name: "x",
        users: [12345],
        parents: ["00000000-0000-4000-8000-000000000000"],
        roles: [group.pk],
      },
    });
    expect(bad.json).toEqual({
      users: ['Invalid pk "12345" - object does not exist.'],
      parents: ['Invalid pk "00000000-0000-4000-8000-000000000000" - object does not exist.'],
      roles: [`Invalid pk "${group.pk}" - object does not exist.`],
    });
    const self = await errorOf(
      env.core.coreGroupsPartialUpdate({ groupUuid: group.pk, patchedGroupRequest: { parents: [group.pk] } }),
    );
    expect(self.body).toEqual({ parents: ["Cannot set group as parent of itself."] });
  });

  it("links parents and children and deletes cleanly", async () => {
    env = await startWithClient();
    const parent = await env.core.coreGroupsCreate({ groupRequest: { name: "parent" } });
    const child = await env.core.coreGroupsCreate({ groupRequest: { name: "child", parents: [parent.pk] } });
    const read = await env.call(
      "GET",
      `/api/v3/core/groups/${parent.pk}/?include_children=true&include_parents=true`,
    );
    expect(read.json).toMatchObject({
      children: [child.pk],
      children_obj: [{ name: "child", group_uuid: child.pk }],
    });
    await env.core.coreGroupsDestroy({ groupUuid: parent.pk });
    expect((await env.core.coreGroupsRetrieve({ groupUuid: child.pk })).parents).toEqual([]);
    expect(await errorOf(env.core.coreGroupsRetrieve({ groupUuid: parent.pk }))).toEqual({
      status: 404,
      body: { detail: "No Group matches the given query." },
    });
    expect((await env.call("GET", "/api/v3/core/groups/123/")).json).toEqual({ detail: "Not found." });
  });

  it("filters by member and superuser flag, rejecting unknown members", async () => {
    env = await startWithClient();
    const admin = env.sim.state.users.find((u) => u.username === "akadmin");
    const byMember = await env.core.coreGroupsList({ membersByPk: [admin?.pk ?? 0] });
    expect(byMember.results.map((g) => g.name)).toEqual(["authentik Admins"]);
    expect(
      (await env.core.coreGroupsList({ membersByUsername: ["akadmin"], isSuperuser: true })).results,
    ).toHaveLength(1);
    expect((await errorOf(env.core.coreGroupsList({ membersByPk: [777] }))).body).toEqual({
      members_by_pk: ["Select a valid choice. 777 is not one of the available choices."],
    });
  });
});
