import {
  createServer as createHttpServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { FaultInjector, faultSettingsSchema } from "./faults.ts";
import { RequestLog } from "./request-log.ts";

/**
 * The HTTP shell shared by the Authentik, Grafana and Vault simulators: loopback only, a request
 * log, and fault injection applied before the simulator's own handler sees the request.
 * Handlers return a response value instead of writing to the socket, so a "lost response" can
 * commit the change and then drop the connection, exactly like a real server dying mid-reply.
 */
export interface SimRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
}

export interface SimResponse {
  status: number;
  /** Sent as JSON unless `text` is given. */
  body?: unknown;
  text?: string;
  headers?: Record<string, string>;
}

export type SimHandler = (request: SimRequest) => SimResponse | Promise<SimResponse>;

export interface SimServerOptions {
  name: string;
  handler: SimHandler;
  host?: string;
  port?: number;
  /** Serve HTTPS with this certificate (PEM) instead of plain HTTP. */
  tls?: { cert: string; key: string };
  /** The body the real server sends when it throttles; defaults to a generic one. */
  throttleResponse?: (retryAfterSeconds: number) => SimResponse;
  /** The body the real server (or its proxy) sends on a 5xx. */
  errorResponse?: (status: number) => SimResponse;
  /** Extra `/__sandbox/...` controls of one simulator (e.g. Vault's seal); undefined = not mine. */
  control?: (request: SimRequest) => SimResponse | undefined;
}

export interface SimServer {
  readonly name: string;
  readonly url: string;
  readonly port: number;
  readonly faults: FaultInjector;
  readonly log: RequestLog;
  close(): Promise<void>;
}

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)$/;
const MAX_BODY_BYTES = 10 * 1024 * 1024;

export function parseJsonBody(request: SimRequest): unknown {
  return request.rawBody.length === 0 ? undefined : JSON.parse(request.rawBody.toString("utf8"));
}

export async function startSimServer(options: SimServerOptions): Promise<SimServer> {
  const host = options.host ?? "127.0.0.1";
  if (!LOOPBACK.test(host)) throw new Error(`simulators listen on loopback only, not ${host}`);
  const faults = new FaultInjector();
  const log = new RequestLog();
  const sockets = new Set<Socket>();

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      process.stderr.write(
        `[${options.name} simulator] ${error instanceof Error ? error.stack : String(error)}\n`,
      );
      if (!res.headersSent) send(res, { status: 500, body: { error: "simulator failure" } });
    });
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const url = new URL(req.url ?? "/", "http://sim");
    const method = req.method ?? "GET";
    const entry = { method, path: url.pathname };
    const rawBody = await readBody(req);

    if (url.pathname.startsWith("/__sandbox/")) {
      const own = options.control?.({
        method,
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        rawBody,
      });
      send(res, own ?? control(method, url.pathname, rawBody));
      return;
    }
    const decision = faults.decide();
    if (decision.kind === "down" || decision.kind === "reset") {
      log.add({ ...entry, status: 0, ms: elapsed(started), fault: decision.kind });
      req.socket.destroy();
      return;
    }
    // Latency is the time an answer takes: it leaves no sooner than `latencyMs` after the request
    // arrived, and the simulator's own work happens within that time, as a real server's does on
    // its own workers. (Sleeping first and working after would queue every burst of requests on
    // this one thread, a delay the real server does not add.)
    const answerAt = started + faults.latencyMs;

    let response: SimResponse;
    if (decision.kind === "throttle") {
      response = options.throttleResponse?.(decision.retryAfterSeconds) ?? {
        status: 429,
        body: { message: "Too Many Requests" },
      };
      response.headers = { ...response.headers, "retry-after": String(decision.retryAfterSeconds) };
    } else if (decision.kind === "error") {
      response = options.errorResponse?.(decision.status) ?? {
        status: decision.status,
        body: { message: "Service Unavailable" },
      };
    } else {
      response = await options.handler({
        method,
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        rawBody,
      });
    }
    // Rounded up, and checked again after: timers take whole milliseconds measured on the event
    // loop's cached clock, so one can fire a fraction of a millisecond before `answerAt`.
    for (let wait = Math.ceil(answerAt - performance.now()); wait > 0; ) {
      await sleep(wait);
      wait = Math.ceil(answerAt - performance.now());
    }
    if (decision.kind === "lose-response") {
      log.add({ ...entry, status: response.status, ms: elapsed(started), fault: "lose-response" });
      req.socket.destroy();
      return;
    }
    log.add({
      ...entry,
      status: response.status,
      ms: elapsed(started),
      ...(decision.kind === "none" ? {} : { fault: decision.kind }),
    });
    send(res, response);
  }

  function control(method: string, path: string, rawBody: Buffer): SimResponse {
    if (path === "/__sandbox/requests" && method === "GET") return { status: 200, body: log.all() };
    if (path === "/__sandbox/requests" && method === "DELETE") {
      log.clear();
      return { status: 204 };
    }
    if (path === "/__sandbox/faults" && method === "GET") return { status: 200, body: faults.settings };
    if (path === "/__sandbox/faults" && method === "POST") {
      let parsed: unknown;
      try {
        parsed = rawBody.length === 0 ? {} : JSON.parse(rawBody.toString("utf8"));
      } catch {
        return { status: 400, body: { error: "body must be JSON" } };
      }
      const result = faultSettingsSchema.safeParse(parsed);
      if (!result.success) return { status: 400, body: { error: result.error.issues.map((i) => i.message) } };
      faults.set(result.data);
      return { status: 200, body: faults.settings };
    }
    return { status: 404, body: { error: "unknown sandbox control route" } };
  }

  const server: Server = options.tls
    ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, listener)
    : createHttpServer(listener);
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const scheme = options.tls ? "https" : "http";
  const shownHost = host.includes(":") ? `[${host}]` : host;

  return {
    name: options.name,
    url: `${scheme}://${shownHost}:${port}`,
    port,
    faults,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, response: SimResponse): void {
  const headers: Record<string, string> = { ...response.headers };
  let payload: string | undefined;
  if (response.text !== undefined) {
    payload = response.text;
    headers["content-type"] ??= "text/plain; charset=utf-8";
  } else if (response.body !== undefined && response.status !== 204) {
    payload = JSON.stringify(response.body);
    headers["content-type"] ??= "application/json";
  }
  res.writeHead(response.status, headers);
  res.end(payload);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error("request body too large for the simulator");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}
