import { RootApi } from "@goauthentik/api";
import { afterEach, describe, expect, it } from "vitest";
import {
  clientConfig,
  errorOf,
  type SimulatorWithClient,
  startWithClient,
} from "../../../test/helpers/authentik-sim-client.ts";
import { DAY_MS } from "./clock.ts";

// Wire-level behaviour of the simulated authentik: what any HTTP client sees before a resource
// handler runs (auth, routing, content types) and the faults the sandbox injects.
describe("Authentik simulator server", () => {
  let env: SimulatorWithClient;
  afterEach(async () => env?.close());

  describe("authentication (always 403, never 401)", () => {
    it("refuses a request without credentials or with another scheme as 'not provided'", async () => {
      env = await startWithClient();
      const expected = { detail: "Authentication credentials were not provided." };
      for (const authorization of [undefined, "Basic YWRtaW46YWRtaW4=", "Bearer", "Token abc"]) {
        const answer = await env.call("GET", "/api/v3/core/applications/", {
          token: null,
          headers: authorization ? { authorization } : {},
        });
        expect(answer.status, authorization).toBe(403);
        expect(answer.json).toEqual(expected);
      }
    });

    it("refuses an unknown key as 'Token invalid/expired', even on the anonymous config endpoint", async () => {
      env = await startWithClient();
      const expected = { status: 403, body: { detail: "Token invalid/expired" } };
      const wrong = new RootApi(clientConfig(env.sim.url, "not-a-real-key"));
      expect(await errorOf(wrong.rootConfigRetrieve())).toEqual(expected);
      const answer = await env.call("GET", "/api/v3/admin/version/", {
        headers: { authorization: "bearer nope" },
      });
      expect(answer.status).toBe(403);
      expect(answer.json).toEqual(expected.body);
    });

    it("serves the config anonymously and the version to any valid token", async () => {
      env = await startWithClient({ version: "2026.8.1" });
      const anonymous = new RootApi(clientConfig(env.sim.url));
      expect((await anonymous.rootConfigRetrieve()).cacheTimeout).toBe(300);
      const version = await env.admin.adminVersionRetrieve();
      expect(version).toMatchObject({ versionCurrent: "2026.8.1", outdated: false, outpostOutdated: false });
      expect((await env.call("GET", "/api/v3/admin/version/", { token: null })).status).toBe(403);
    });

    it("accepts the scheme word in any case", async () => {
      env = await startWithClient();
      const answer = await env.call("GET", "/api/v3/admin/version/", {
        headers: { authorization: `BEARER ${env.sim.token}` },
      });
      expect(answer.status).toBe(200);
    });

    it("refuses expired API tokens, app passwords and tokens of inactive users", async () => {
      env = await startWithClient();
      const { state } = env.sim;
      const admin = state.users.find((u) => u.username === "akadmin");
      const user = state.addUser({ username: "bob", groups: admin?.groups ?? [] });
      const api = state.addToken({ identifier: "short", user: user.pk });
      const appPassword = state.addToken({ identifier: "pw", user: user.pk, intent: "app_password" });
      const version = (key: string) => env.call("GET", "/api/v3/admin/version/", { token: key });
      expect((await version(api.key)).status).toBe(200);
      expect((await version(appPassword.key)).json).toEqual({ detail: "Token invalid/expired" });
      user.is_active = false;
      expect((await version(api.key)).json).toEqual({ detail: "Token invalid/expired" });
      user.is_active = true;
      state.clock.advance(DAY_MS + 1000);
      expect((await version(api.key)).status).toBe(403);
      expect((await version(env.sim.token)).status).toBe(200); // the bootstrap token never expires
    });
  });

  describe("routing like Django and DRF", () => {
    it("redirects a path without its trailing slash, for every method, keeping the query", async () => {
      env = await startWithClient();
      const get = await env.call("GET", "/api/v3/core/applications?page_size=5", { token: null });
      expect(get.status).toBe(301);
      expect(get.headers.get("location")).toBe("/api/v3/core/applications/?page_size=5");
      const post = await env.call("POST", "/api/v3/core/applications", { body: { name: "a", slug: "a" } });
      expect(post.status).toBe(301);
      expect(env.sim.state.applications.count()).toBe(0);
    });

    it("answers Django's HTML 404 for paths no route matches", async () => {
      env = await startWithClient();
      for (const path of [
        "/api/v3/nope/",
        "/api/v3/core/applications/a.b/",
        "/other",
        "/api/v3/core/applications/x/y",
      ]) {
        const answer = await env.call("GET", path);
        expect(answer.status, path).toBe(404);
        expect(answer.headers.get("content-type")).toContain("text/html");
      }
    });

    it("answers 405 with DRF's body and an Allow header, after authentication", async () => {
      env = await startWithClient();
      const answer = await env.call("PUT", "/api/v3/core/applications/", { body: {} });
      expect(answer.status).toBe(405);
      expect(answer.json).toEqual({ detail: 'Method "PUT" not allowed.' });
      expect(answer.headers.get("allow")).toBe("GET, POST, HEAD, OPTIONS");
      expect((await env.call("PUT", "/api/v3/core/applications/", { token: null })).status).toBe(403);
      expect((await env.call("POST", "/api/v3/root/config/", { token: null })).status).toBe(405);
    });

    it("sends JSON with an Allow header and answers HEAD like GET without a body", async () => {
      env = await startWithClient();
      const answer = await env.call("GET", "/api/v3/core/applications/slug/");
      expect(answer.headers.get("content-type")).toBe("application/json");
      expect(answer.headers.get("allow")).toBe("GET, PUT, PATCH, DELETE, HEAD, OPTIONS");
      const head = await env.call("HEAD", "/api/v3/core/groups/");
      expect(head.status).toBe(200);
      expect(head.text).toBe("");
    });

    it("answers 501 for operations the real server has but the simulator does not model", async () => {
      env = await startWithClient();
      const answer = await env.call("POST", "/api/v3/flows/instances/", { body: {} });
      expect(answer.status).toBe(501);
      expect(answer.json).toEqual({ detail: "flows_instances_create is not simulated." });
      expect((await env.call("OPTIONS", "/api/v3/core/groups/")).status).toBe(501);
      expect((await env.call("POST", "/api/v3/flows/instances/", { token: null })).status).toBe(403);
    });
  });

  describe("request bodies", () => {
    it("refuses a non-JSON content type with 415", async () => {
      env = await startWithClient();
      const plain = await env.call("POST", "/api/v3/core/groups/", { rawBody: "name=x" });
      expect(plain.status).toBe(415);
      expect(plain.json).toEqual({ detail: 'Unsupported media type "text/plain;charset=UTF-8" in request.' });
      const form = await env.call("POST", "/api/v3/core/groups/", {
        rawBody: "name=x",
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
      expect(form.json).toEqual({
        detail: 'Unsupported media type "application/x-www-form-urlencoded" in request.',
      });
    });

    it("treats an empty body as an empty object, whatever its type", async () => {
      env = await startWithClient();
      const answer = await env.call("POST", "/api/v3/core/groups/", {
        headers: { "content-type": "text/plain" },
      });
      expect(answer.status).toBe(400);
      expect(answer.json).toEqual({ name: ["This field is required."] });
    });

    it("reports unparseable JSON as a parse error", async () => {
      env = await startWithClient();
      const answer = await env.call("POST", "/api/v3/core/groups/", {
        rawBody: '{"name": ',
        headers: { "content-type": "application/json" },
      });
      expect(answer.status).toBe(400);
      expect(answer.json).toEqual({
        detail: "JSON parse error - unexpected end of data: line 1 column 10 (char 9)",
      });
      const bad = await env.call("POST", "/api/v3/core/groups/", {
        rawBody: "{nope}",
        headers: { "content-type": "application/json; charset=utf-8" },
      });
      expect((bad.json as { detail: string }).detail).toBe(
        "JSON parse error - unexpected character: line 1 column 2 (char 1)",
      );
    });

    it("refuses a JSON body that is not an object", async () => {
      env = await startWithClient();
      const answer = await env.call("POST", "/api/v3/core/groups/", { body: ["x"] });
      expect(answer.json).toEqual({
        non_field_errors: ["Invalid data. Expected a dictionary, but got list."],
      });
    });
  });

  describe("fault injection", () => {
    it("throttles with Retry-After and DRF's throttle body", async () => {
      env = await startWithClient();
      const set = await fetch(`${env.sim.url}/__sandbox/faults`, {
        method: "POST",
        body: JSON.stringify({ throttleRate: 1, retryAfterSeconds: 3 }),
      });
      expect(set.status).toBe(200);
      const answer = await env.call("GET", "/api/v3/core/applications/");
      expect(answer.status).toBe(429);
      expect(answer.headers.get("retry-after")).toBe("3");
      expect(answer.json).toEqual({ detail: "Request was throttled. Expected available in 3 seconds." });
      env.sim.server.faults.set({ throttleRate: 1 });
      expect((await env.call("GET", "/api/v3/core/applications/")).json).toEqual({
        detail: "Request was throttled. Expected available in 1 second.",
      });
      const error = await errorOf(env.core.coreApplicationsList({}));
      expect(error.status).toBe(429);
    });

    it("answers injected server errors as authentik's router or Django would", async () => {
      env = await startWithClient();
      env.sim.server.faults.set({ errorRate: 1 });
      const starting = await env.call("GET", "/api/v3/core/applications/");
      expect(starting.status).toBe(503);
      expect(starting.text).toBe("authentik starting");
      expect(starting.headers.get("retry-after")).toBe("5");
      env.sim.server.faults.set({ errorRate: 1, errorStatus: 502 });
      const gateway = await env.call("GET", "/api/v3/core/applications/");
      expect(gateway.status).toBe(502);
      expect(gateway.text).toMatch(/^failed to connect to authentik backend/);
      env.sim.server.faults.set({ errorRate: 1, errorStatus: 500 });
      expect((await env.call("GET", "/api/v3/core/applications/")).headers.get("content-type")).toContain(
        "text/html",
      );
    });

    it("logs every request for GET /__sandbox/requests", async () => {
      env = await startWithClient();
      await env.call("GET", "/api/v3/core/groups/");
      const log = (await (await fetch(`${env.sim.url}/__sandbox/requests`)).json()) as { path: string }[];
      expect(log.map((entry) => entry.path)).toContain("/api/v3/core/groups/");
    });
  });

  it("answers 500 and reports on stderr when a handler's response breaks the spec", async () => {
    env = await startWithClient({
      handlers: [
        { operationId: "core_applications_list", handle: () => ({ status: 200, body: { results: [] } }) },
      ],
    });
    const written: string[] = [];
    const original = process.stderr.write;
    process.stderr.write = ((chunk: string) => {
      written.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    try {
      expect((await errorOf(env.core.coreApplicationsList({}))).status).toBe(500);
    } finally {
      process.stderr.write = original;
    }
    expect(written.join("")).toMatch(/core_applications_list \(200\) violates the Authentik spec/);
  });
});
