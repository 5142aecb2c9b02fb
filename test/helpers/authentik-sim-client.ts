import {
  AdminApi,
  Configuration,
  CoreApi,
  CryptoApi,
  EventsApi,
  FlowsApi,
  OutpostsApi,
  PropertymappingsApi,
  ProvidersApi,
  ResponseError,
  RootApi,
} from "@goauthentik/api";
import {
  type AuthentikSimulator,
  type AuthentikSimulatorOptions,
  startAuthentikSimulator,
} from "../../src/sandbox/authentik/server.ts";

/**
 * Test support: a running simulator plus the official client (`@goauthentik/api`, on Node's
 * global fetch) pointed at it, so tests prove the simulator satisfies the real client, and a raw
 * `call` for what the client cannot express (bad bodies, odd headers, missing slashes).
 */
export interface SimulatorWithClient {
  sim: AuthentikSimulator;
  core: CoreApi;
  providers: ProvidersApi;
  outposts: OutpostsApi;
  flows: FlowsApi;
  admin: AdminApi;
  root: RootApi;
  events: EventsApi;
  crypto: CryptoApi;
  propertyMappings: PropertymappingsApi;
  /** Flow pks every provider needs. */
  authorizationFlow: string;
  invalidationFlow: string;
  call(method: string, path: string, options?: CallOptions): Promise<RawAnswer>;
  close(): Promise<void>;
}

export interface CallOptions {
  body?: unknown;
  /** Sent as-is instead of JSON. */
  rawBody?: string;
  token?: string | null;
  headers?: Record<string, string>;
}

export interface RawAnswer {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

export async function startWithClient(options: AuthentikSimulatorOptions = {}): Promise<SimulatorWithClient> {
  const sim = await startAuthentikSimulator(options);
  const config = clientConfig(sim.url, sim.token);
  const flows = new FlowsApi(config);
  const authorization = await flows.flowsInstancesRetrieve({
    slug: "default-provider-authorization-implicit-consent",
  });
  const invalidation = await flows.flowsInstancesRetrieve({ slug: "default-provider-invalidation-flow" });
  return {
    sim,
    core: new CoreApi(config),
    providers: new ProvidersApi(config),
    outposts: new OutpostsApi(config),
    flows,
    admin: new AdminApi(config),
    root: new RootApi(config),
    events: new EventsApi(config),
    crypto: new CryptoApi(config),
    propertyMappings: new PropertymappingsApi(config),
    authorizationFlow: authorization.pk,
    invalidationFlow: invalidation.pk,
    call: (method, path, callOptions = {}) => rawCall(sim, method, path, callOptions),
    close: () => sim.close(),
  };
}

export function clientConfig(url: string, token?: string): Configuration {
  return new Configuration({ basePath: `${url}/api/v3`, ...(token ? { accessToken: token } : {}) });
}

async function rawCall(
  sim: AuthentikSimulator,
  method: string,
  path: string,
  options: CallOptions,
): Promise<RawAnswer> {
  const headers: Record<string, string> = { ...options.headers };
  const token = options.token === undefined ? sim.token : options.token;
  if (token !== null) headers.authorization ??= `Bearer ${token}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const response = await fetch(`${sim.url}${path}`, { method, headers, body, redirect: "manual" });
  const text = await response.text();
  let json: unknown;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** The DRF body of a failed client call. */
export async function errorOf(promise: Promise<unknown>): Promise<{ status: number; body: unknown }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ResponseError) {
      const text = await error.response.text();
      return { status: error.response.status, body: text === "" ? undefined : JSON.parse(text) };
    }
    throw error;
  }
  throw new Error("expected the call to fail");
}
