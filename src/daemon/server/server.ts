import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import type { Registry } from "prom-client";
import { z } from "zod";
import type { AuditSink } from "../../observability/audit/audit-event.ts";
import { redactor } from "../../secrets/redactor.ts";
import { DaemonAuth, LoginThrottle } from "./auth.ts";
import type { EventBus } from "./event-bus.ts";
import { SECURITY_HEADERS } from "./security-headers.ts";
import type { StatusSource } from "./status-model.ts";

export interface StatusServerOptions {
  host: string;
  port: number;
  token: string;
  publicMetrics: boolean;
  source: StatusSource;
  registry: Registry;
  audit: AuditSink;
  events: EventBus;
  now?: () => number;
}

export interface StatusServer {
  url: string;
  /** Every route the server answers ("GET /api/status"), so tests can check each one's auth. */
  routes: readonly string[];
  close(): Promise<void>;
}

const SESSION_COOKIE = "autopilot_session";
const PAGE_DIR = new URL("./page/", import.meta.url);
const pageFile = (name: string) => readFileSync(new URL(name, PAGE_DIR), "utf8");
const ASSETS: Record<string, { type: string; body: string }> = {
  "/": { type: "text/html; charset=utf-8", body: pageFile("index.html") },
  "/login": { type: "text/html; charset=utf-8", body: pageFile("login.html") },
  "/assets/app.js": { type: "text/javascript; charset=utf-8", body: pageFile("app.js") },
  "/assets/login.js": { type: "text/javascript; charset=utf-8", body: pageFile("login.js") },
  "/assets/style.css": { type: "text/css; charset=utf-8", body: pageFile("style.css") },
};

const loginBody = z.object({ token: z.string().min(1).max(4096) }).strict();

/**
 * The daemon's HTTP face: probes (`/healthz`, `/readyz`) for anyone; everything else — the
 * status page, `/api/*`, `/metrics` unless made public — needs the bearer token or a browser
 * session opened with it. Logins are audited and throttled per client address.
 */
export async function startStatusServer(options: StatusServerOptions): Promise<StatusServer> {
  const auth = new DaemonAuth(options.token, options.now ? { now: options.now } : {});
  const throttle = new LoginThrottle(options.now ? { now: options.now } : {});
  const app: FastifyInstance = Fastify({ logger: false, bodyLimit: 16 * 1024, trustProxy: false });
  const routes: string[] = [];
  app.addHook("onRoute", (route) => {
    for (const method of [route.method].flat()) if (method !== "HEAD") routes.push(`${method} ${route.url}`);
  });
  app.addContentTypeParser(
    "application/x-www-form-urlencoded",
    { parseAs: "string" },
    (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    },
  );
  app.addHook("onSend", async (_request, reply, payload) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
    if (!reply.hasHeader("cache-control")) reply.header("cache-control", "no-store");
    return payload;
  });

  const sessionOf = (request: FastifyRequest) => cookie(request.headers.cookie, SESSION_COOKIE);
  const allowed = (request: FastifyRequest) =>
    auth.bearerAllowed(request.headers.authorization) || auth.sessionValid(sessionOf(request));
  const deny = (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method === "GET" && (request.headers.accept ?? "").includes("text/html")) {
      return reply.code(303).header("location", "/login").send();
    }
    return reply.code(401).header("www-authenticate", 'Bearer realm="autopilot"').send({
      error: "unauthorized",
      hint: "send Authorization: Bearer <daemon token>, or log in at /login",
    });
  };

  app.get("/healthz", async (_request, reply) => reply.type("text/plain").send("ok"));
  app.get("/readyz", async (_request, reply) => {
    const readiness = options.source.readiness();
    return reply.code(readiness.ready ? 200 : 503).send(readiness);
  });

  app.get("/metrics", async (request, reply) => {
    if (!options.publicMetrics && !allowed(request)) return deny(request, reply);
    const text = redactor.redact(await options.registry.metrics());
    return reply.type(options.registry.contentType).send(text);
  });

  for (const [path, asset] of Object.entries(ASSETS)) {
    app.get(path, async (request, reply) => {
      const open = path === "/login" || path === "/assets/login.js" || path === "/assets/style.css";
      if (!open && !allowed(request)) return deny(request, reply);
      return reply.type(asset.type).send(asset.body);
    });
  }

  app.post("/login", async (request, reply) => {
    const client = request.ip;
    if (throttle.blocked(client)) {
      await options.audit.append({
        actor: `daemon:api:${client}`,
        action: "login",
        target: "daemon",
        objectKey: "session",
        outcome: "denied",
        details: { reason: "throttled" },
      });
      return reply
        .code(429)
        .header("retry-after", "60")
        .send({ error: "too many failed logins; wait a minute" });
    }
    const parsed = loginBody.safeParse(request.body);
    if (!parsed.success || !auth.tokenMatches(parsed.data.token)) {
      throttle.recordFailure(client);
      await options.audit.append({
        actor: `daemon:api:${client}`,
        action: "login",
        target: "daemon",
        objectKey: "session",
        outcome: "denied",
      });
      return reply.code(401).send({ error: "wrong token" });
    }
    throttle.recordSuccess(client);
    await options.audit.append({
      actor: `daemon:api:${client}`,
      action: "login",
      target: "daemon",
      objectKey: "session",
      outcome: "success",
    });
    const session = auth.openSession();
    return reply
      .header("set-cookie", `${SESSION_COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=/; Max-Age=43200`)
      .code(303)
      .header("location", "/")
      .send();
  });

  app.post("/logout", async (request, reply) => {
    auth.closeSession(sessionOf(request));
    return reply
      .header("set-cookie", `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`)
      .code(303)
      .header("location", "/login")
      .send();
  });

  app.get("/api/status", async (request, reply) => {
    if (!allowed(request)) return deny(request, reply);
    return reply
      .type("application/json")
      .send(redactor.redact(JSON.stringify(await options.source.status())));
  });

  app.post("/api/reconcile", async (request, reply) => {
    if (!allowed(request)) return deny(request, reply);
    if (!sameOrigin(request)) return reply.code(403).send({ error: "cross-origin request refused" });
    options.source.requestReconcile(`api:${request.ip}`);
    await options.audit.append({
      actor: `daemon:api:${request.ip}`,
      action: "reconcile.request",
      target: "daemon",
      objectKey: "reconcile",
      outcome: "success",
    });
    return reply.code(202).send({ accepted: true });
  });

  app.get("/api/events", (request, reply) => {
    if (!allowed(request)) return deny(request, reply);
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      ...SECURITY_HEADERS,
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      connection: "keep-alive",
    });
    raw.write(": connected\n\n");
    const unsubscribe = options.events.subscribe((event) => {
      raw.write(`event: ${event.type}\ndata: ${redactor.redact(JSON.stringify(event))}\n\n`);
    });
    const keepAlive = setInterval(() => raw.write(": keep-alive\n\n"), 15_000);
    keepAlive.unref();
    request.raw.on("close", () => {
      clearInterval(keepAlive);
      unsubscribe();
    });
  });

  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return { url: `http://${host}:${address.port}`, routes, close: () => app.close() };
}

function cookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return value.join("=");
  }
  return undefined;
}

/** Browsers send Origin on POST; a request from another site's page is refused. */
function sameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true; // not a browser (curl, scripts with the bearer token)
  return origin === `http://${request.headers.host}` || origin === `https://${request.headers.host}`;
}
