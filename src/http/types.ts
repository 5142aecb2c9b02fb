/**
 * The contract of the HTTP core: every call Autopilot makes to another system goes through an
 * `HttpClient` built for that target, which owns the connection pool, TLS trust, resilience
 * policies, rate limit, correlation header and metrics.
 */

export type HttpMethod = "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE";

export type QueryValue = string | number | boolean | undefined | readonly (string | number)[];

export interface TlsOptions {
  /** PEM text of extra trust anchors (a lab CA, or the server's own self-signed certificate). */
  ca?: string;
  /**
   * sha256 SPKI pins, each `sha256/<base64>`. The server's leaf key must match one of them, in
   * addition to a verified chain: a pin narrows trust, it never replaces verification.
   */
  pins?: readonly string[];
}

export interface ResilienceOptions {
  /** Per attempt, milliseconds. */
  timeoutMs: number;
  retry: { maxAttempts: number; initialDelayMs: number; maxDelayMs: number };
  breaker: { consecutiveFailures: number; halfOpenAfterMs: number };
  /** Concurrent requests to this target (bulkhead and connection pool size), and queue length. */
  concurrency: number;
  queue: number;
  rateLimit: { perSecond: number; burst: number };
}

/**
 * What a target may override: any field, nested groups field by field (`{ retry: { maxAttempts: 2 } }`);
 * the rest keeps the defaults.
 */
export type ResilienceOverrides = {
  [K in keyof ResilienceOptions]?: ResilienceOptions[K] extends object
    ? Partial<ResilienceOptions[K]>
    : ResilienceOptions[K];
};

export interface TargetHttpOptions {
  /** Short target name used in metrics, logs and errors: "authentik", "grafana", "vault", ... */
  target: string;
  /** Base URL without an API path, e.g. https://auth.lab.example.com */
  baseUrl: string;
  tls?: TlsOptions;
  resilience?: ResilienceOverrides;
  /** Headers added to every request, typically Authorization; may be async (token renewal). */
  headers?: () => Record<string, string> | Promise<Record<string, string>>;
}

export interface HttpRequest {
  method: HttpMethod;
  /** Path appended to the base URL, with its leading slash: /api/v3/core/applications/ */
  path: string;
  /** Route template for metrics (bounded cardinality): /api/v3/core/applications/{slug}/ */
  route?: string;
  query?: Record<string, QueryValue>;
  /** Serialized as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  /**
   * The caller asserts that repeating this request cannot do harm (a POST that is naturally
   * idempotent, or one the engine will re-read before repeating). GET, HEAD, PUT and DELETE
   * are treated as idempotent already.
   */
  safeToRetry?: boolean;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Send without the target's authentication headers (health and reachability checks). */
  anonymous?: boolean;
}

export interface HttpResponse<T = unknown> {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON when the response is JSON, the text otherwise, undefined when empty. */
  body: T;
  requestId: string;
  attempts: number;
}

export type BreakerState = "closed" | "open" | "half-open";

export interface HttpClient {
  readonly target: string;
  readonly baseUrl: string;
  /** Sends a request; a non-2xx status or a transport failure throws a typed HttpError. */
  request<T = unknown>(request: HttpRequest): Promise<HttpResponse<T>>;
  /**
   * A fetch-compatible function over the same pool and policies, for generated API clients
   * (@goauthentik/api). It resolves with non-2xx responses like fetch does, after retries.
   */
  readonly fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  /** The typed error behind a non-2xx Response that `fetch` returned (undefined for others). */
  errorFor(response: Response): import("./errors.ts").HttpError | undefined;
  breakerState(): BreakerState;
  /** Emitted when the breaker changes state, for metrics and the daemon. */
  onBreakerChange(listener: (state: BreakerState) => void): () => void;
  close(): Promise<void>;
}
