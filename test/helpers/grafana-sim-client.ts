import {
  type GrafanaSimulator,
  type GrafanaSimulatorOptions,
  startGrafanaSimulator,
} from "../../src/sandbox/grafana/server.ts";

/**
 * A tiny wire-level client for the simulator's own tests. It uses Node's fetch on purpose: these
 * tests check what the simulated server puts on the wire, independent of Autopilot's HTTP core.
 */
export interface WireResponse {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON fields
  body: any;
}

export type Credentials = { bearer: string } | { basic: [string, string] } | "none";

export interface WireClient {
  request(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<WireResponse>;
  get(path: string, headers?: Record<string, string>): Promise<WireResponse>;
  post(path: string, body?: unknown, headers?: Record<string, string>): Promise<WireResponse>;
  put(path: string, body?: unknown, headers?: Record<string, string>): Promise<WireResponse>;
  patch(path: string, body?: unknown, headers?: Record<string, string>): Promise<WireResponse>;
  delete(path: string, headers?: Record<string, string>): Promise<WireResponse>;
}

export function wireClient(baseUrl: string, credentials: Credentials): WireClient {
  const auth: Record<string, string> =
    credentials === "none"
      ? {}
      : "bearer" in credentials
        ? { authorization: `Bearer ${credentials.bearer}` }
        : { authorization: `Basic ${Buffer.from(credentials.basic.join(":")).toString("base64")}` };
  const request = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const init: RequestInit = { method, headers: { ...auth, ...headers } };
    if (body !== undefined) {
      init.body = typeof body === "string" ? body : JSON.stringify(body);
      init.headers = { "content-type": "application/json", ...auth, ...headers };
    }
    const response = await fetch(`${baseUrl}${path}`, init);
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === "" ? undefined : JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, text, body: parsed };
  };
  return {
    request,
    get: (path, headers) => request("GET", path, undefined, headers),
    post: (path, body, headers) => request("POST", path, body, headers),
    put: (path, body, headers) => request("PUT", path, body, headers),
    patch: (path, body, headers) => request("PATCH", path, body, headers),
    delete: (path, headers) => request("DELETE", path, undefined, headers),
  };
}

export interface TestGrafana {
  sim: GrafanaSimulator;
  /** The bootstrap Admin service-account token. */
  api: WireClient;
  /** Basic auth as the server admin. */
  admin: WireClient;
  anonymous: WireClient;
  as(token: string): WireClient;
}

export async function startTestGrafana(options: GrafanaSimulatorOptions = {}): Promise<TestGrafana> {
  const sim = await startGrafanaSimulator(options);
  return {
    sim,
    api: wireClient(sim.url, { bearer: sim.token }),
    admin: wireClient(sim.url, { basic: [sim.adminUser, sim.adminPassword] }),
    anonymous: wireClient(sim.url, "none"),
    as: (token) => wireClient(sim.url, { bearer: token }),
  };
}
