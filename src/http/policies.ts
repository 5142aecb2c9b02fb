import {
  BulkheadPolicy,
  type CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  DelegateBackoff,
  handleWhen,
  isBrokenCircuitError,
  isBulkheadRejectedError,
  isTaskCancelledError,
  retry,
  TimeoutStrategy,
  timeout,
} from "cockatiel";
import { AutopilotError } from "../errors/autopilot-error.ts";
import { logger } from "../observability/logger.ts";
import { fullJitterDelay } from "./backoff.ts";
import { describeCall, unknownOutcomeHint } from "./error-text.ts";
import { CircuitOpenError, HttpError, type HttpErrorContext, outcomeOf, UnavailableError } from "./errors.ts";
import { countRetry, recordBreakerState } from "./metrics.ts";
import { TokenBucket } from "./rate-limit.ts";
import { nextRequestId } from "./request-id.ts";
import { type ResilienceOverrides, resolveResilience } from "./resilience-options.ts";
import { retryAfterDelay } from "./retry-after.ts";
import type { BreakerState, ResilienceOptions } from "./types.ts";

/**
 * The resilience pipeline of one target, built from cockatiel policies:
 *
 *   retry ─► circuit breaker ─► bulkhead ─► rate limit ─► timeout ─► the call
 *
 * Retry is outermost so each attempt passes the breaker (an open breaker stops a retry loop at
 * once) and waits for a bulkhead slot anew (a sleeping retry holds no slot). The token bucket
 * sits inside the bulkhead so it spaces the calls actually sent, and the timeout is innermost so
 * it measures the call alone, not the time spent queueing.
 *
 * It is not HTTP-specific: the Docker client runs its calls through it too.
 */
export interface PipelineDeps {
  /** Uniform in [0, 1): the jitter draw. */
  random?: () => number;
  /** Waits between attempts and for rate-limit tokens. */
  sleep?: (ms: number) => Promise<void>;
  /** Epoch milliseconds: the rate limiter's clock and the reference for Retry-After dates. */
  now?: () => number;
}

export interface AttemptContext {
  /** 1 for the first attempt. */
  attempt: number;
  /** Aborted when the attempt times out or the caller gives up. */
  signal: AbortSignal;
}

export interface AttemptReport<T> {
  attempt: number;
  /** Time on the wire: from leaving the bulkhead and rate limiter to the outcome. */
  ms: number;
  result: { value: T } | { error: unknown };
}

export interface ExecuteOptions<T> {
  /**
   * Whether repeating the call is harmless. When false, a failure whose outcome is unknown is
   * not retried: the caller must re-read before deciding.
   */
  idempotent: boolean;
  signal?: AbortSignal;
  /** Overrides the per-attempt timeout of the target. */
  timeoutMs?: number;
  /** Names the call in the errors the pipeline raises itself (timeout, open circuit, full queue). */
  errorContext?: (attempt: number) => HttpErrorContext;
  /** Called once per attempt, including attempts the breaker or the bulkhead refused. */
  onAttempt?: (report: AttemptReport<T>) => void;
}

export interface ResiliencePipeline {
  readonly target: string;
  readonly options: ResilienceOptions;
  execute<T>(fn: (context: AttemptContext) => Promise<T>, options: ExecuteOptions<T>): Promise<T>;
  breakerState(): BreakerState;
  onBreakerChange(listener: (state: BreakerState) => void): () => void;
}

export function createResiliencePipeline(
  target: string,
  overrides: ResilienceOverrides = {},
  deps: PipelineDeps = {},
): ResiliencePipeline {
  const options = resolveResilience(target, overrides);
  const random = deps.random ?? Math.random;
  const sleep = deps.sleep ?? defaultSleep;
  const limiter = new TokenBucket(options.rateLimit, { now: deps.now ?? Date.now, sleep });
  const bulkhead = new BulkheadPolicy(options.concurrency, options.queue);
  const breaker: CircuitBreakerPolicy = circuitBreaker(handleWhen(countsAgainstBreaker), {
    halfOpenAfter: options.breaker.halfOpenAfterMs,
    breaker: new ConsecutiveBreaker(options.breaker.consecutiveFailures),
  });

  const listeners = new Set<(state: BreakerState) => void>();
  recordBreakerState(target, "closed");
  breaker.onStateChange((circuitState) => {
    const state = breakerStateOf(circuitState);
    recordBreakerState(target, state);
    const log = logger();
    if (state === "open") log.warn({ target }, `circuit breaker for ${target} opened`);
    else log.info({ target }, `circuit breaker for ${target} is ${state}`);
    for (const listener of listeners) listener(state);
  });

  async function execute<T>(
    fn: (context: AttemptContext) => Promise<T>,
    call: ExecuteOptions<T>,
  ): Promise<T> {
    const contexts = new Map<number, HttpErrorContext>();
    const contextOf = (attempt: number): HttpErrorContext => {
      let context = contexts.get(attempt);
      if (!context) {
        context = call.errorContext?.(attempt) ?? {
          target,
          method: "CALL",
          route: "-",
          requestId: nextRequestId(),
        };
        contexts.set(attempt, context);
      }
      return context;
    };
    const timeoutMs = call.timeoutMs ?? options.timeoutMs;
    // A timeout still aborts the attempt's signal. On return there is nothing left to cancel:
    // an HTTP attempt has read its whole answer by then (and Docker calls take no signal), and
    // cockatiel's default abort-on-return built a DOMException, stack trace and all, per request.
    const attemptTimeout = timeout(timeoutMs, { strategy: TimeoutStrategy.Aggressive, abortOnReturn: false });
    let delayBeforeNextAttempt = 0;
    let lastAttempt = 0;

    // cockatiel's retry sleeps with its own timer, which tests cannot control; so its backoff
    // only computes our delay (and reports 0), and the attempt itself awaits the injected sleep.
    const retryPolicy = retry(
      handleWhen((error) => shouldRetry(error, call.idempotent)),
      {
        maxAttempts: options.retry.maxAttempts - 1,
        backoff: new DelegateBackoff((context) => {
          const error = "error" in context.result ? context.result.error : undefined;
          delayBeforeNextAttempt = delayBeforeRetry(context.attempt - 1, error);
          return 0;
        }),
      },
    );
    retryPolicy.onRetry((event) =>
      countRetry(target, "error" in event ? failureLabel(event.error) : "value"),
    );

    // When each attempt left the queues, so its reported duration is its time on the wire.
    const sentAt = new Map<number, number>();
    const runAttempt = async (attempt: number, signal: AbortSignal): Promise<T> => {
      await limiter.take();
      sentAt.set(attempt, performance.now());
      try {
        return await attemptTimeout.execute(
          ({ signal: attemptSignal }) => fn({ attempt, signal: attemptSignal }),
          signal,
        );
      } catch (error) {
        throwIfAborted(call.signal);
        if (!isTaskCancelledError(error)) throw error;
        const context = contextOf(attempt);
        throw new UnavailableError(`${describeCall(context)} → timeout after ${timeoutMs} ms`, {
          ...context,
          outcome: "unknown",
          failure: "timeout",
          hint: unknownOutcomeHint(
            context,
            call.idempotent,
            `raise resilience.timeoutMs for ${target} if it is just slow`,
          ),
        });
      }
    };

    try {
      return await retryPolicy.execute(async ({ attempt: retries, signal }) => {
        const attempt = retries + 1;
        lastAttempt = attempt;
        if (attempt > 1) {
          await sleep(delayBeforeNextAttempt);
          throwIfAborted(call.signal);
        }
        const started = performance.now();
        const elapsed = () => performance.now() - (sentAt.get(attempt) ?? started);
        try {
          const value = await breaker.execute(
            ({ signal: breakerSignal }) =>
              bulkhead.execute(({ signal: slotSignal }) => runAttempt(attempt, slotSignal), breakerSignal),
            signal,
          );
          call.onAttempt?.({ attempt, ms: elapsed(), result: { value } });
          return value;
        } catch (error) {
          const failure = call.signal?.aborted
            ? call.signal.reason
            : translatePolicyError(error, contextOf(attempt));
          call.onAttempt?.({ attempt, ms: elapsed(), result: { error: failure } });
          throw failure;
        }
      }, call.signal);
    } catch (error) {
      if (error instanceof HttpError) error.recordAttempts(lastAttempt);
      throw error;
    }
  }

  function delayBeforeRetry(retryIndex: number, error: unknown): number {
    if (error instanceof UnavailableError && error.retryAfterMs !== undefined) {
      return retryAfterDelay(error.retryAfterMs);
    }
    return fullJitterDelay(retryIndex, options.retry, random);
  }

  function translatePolicyError(error: unknown, context: HttpErrorContext): unknown {
    if (isBrokenCircuitError(error)) {
      const last = breaker.lastFailure;
      const lastError = last && "error" in last ? last.error : undefined;
      const lastMessage = lastError instanceof Error ? `; last failure: ${lastError.message}` : "";
      return new CircuitOpenError(
        `${describeCall(context)} → not sent: the circuit breaker for ${target} is open${lastMessage}`,
        {
          ...context,
          cause: lastError,
          hint: `${target} failed ${options.breaker.consecutiveFailures} times in a row; calls resume on their own after ${options.breaker.halfOpenAfterMs / 1000} s, meanwhile check that ${target} is up`,
        },
      );
    }
    if (isBulkheadRejectedError(error)) {
      return new UnavailableError(
        `${describeCall(context)} → not sent: ${options.concurrency} calls in flight and ${options.queue} queued`,
        {
          ...context,
          outcome: "not-sent",
          failure: "bulkhead-full",
          hint: `Autopilot is sending more to ${target} than it can take; raise resilience.queue or slow down`,
        },
      );
    }
    return error;
  }

  return {
    target,
    options,
    execute,
    breakerState: () => breakerStateOf(breaker.state),
    onBreakerChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * Retry only what is retryable and safe: an idempotent call, or a failure that never reached
 * the server's logic (not sent, or refused with 429). An open circuit is never retried here:
 * it stays open far longer than any backoff.
 */
export function shouldRetry(error: unknown, idempotent: boolean): boolean {
  if (!(error instanceof AutopilotError) || !error.retryable || error instanceof CircuitOpenError)
    return false;
  const outcome = outcomeOf(error);
  return idempotent || outcome === "not-sent" || outcome === "rejected";
}

/**
 * The breaker counts the target failing (unreachable, timing out, 5xx), not the target
 * answering: a 4xx, throttling included, is the server working and saying no.
 */
export function countsAgainstBreaker(error: unknown): boolean {
  if (!(error instanceof AutopilotError) || error.kind !== "unavailable" || !error.retryable) return false;
  return !(error instanceof HttpError && error.status !== undefined && error.status < 500);
}

function failureLabel(error: unknown): string {
  return error instanceof HttpError ? error.statusLabel : "error";
}

function breakerStateOf(state: CircuitState): BreakerState {
  if (state === CircuitState.Closed) return "closed";
  if (state === CircuitState.HalfOpen) return "half-open";
  return "open";
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason;
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
