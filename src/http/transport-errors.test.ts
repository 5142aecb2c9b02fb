import { describe, expect, it } from "vitest";
import { InvalidError, NotFoundError, TlsError, type UnavailableError } from "./errors.ts";
import { SpkiPinMismatchError } from "./spki-pin.ts";
import { errorForTransportFailure } from "./transport-errors.ts";

const context = { target: "grafana", method: "POST", route: "/api/x", path: "/api/x", requestId: "r-1" };
const options = { origin: "https://grafana.lab", idempotent: false, now: 0 };
const failure = (code: string, extra: object = {}) =>
  Object.assign(new Error(`${code} happened`), { code, ...extra });

describe("errorForTransportFailure", () => {
  it("marks refused and unresolvable connections as not sent", () => {
    const refused = errorForTransportFailure(context, failure("ECONNREFUSED"), options) as UnavailableError;
    expect([refused.outcome, refused.failure]).toEqual(["not-sent", "refused"]);
    const dns = errorForTransportFailure(context, failure("ENOTFOUND"), options) as UnavailableError;
    expect([dns.outcome, dns.failure, dns.statusLabel]).toEqual(["not-sent", "dns", "dns"]);
    expect(dns.hint).toContain("DNS");
    const unreachable = errorForTransportFailure(
      context,
      failure("EHOSTUNREACH"),
      options,
    ) as UnavailableError;
    expect([unreachable.outcome, unreachable.failure]).toEqual(["not-sent", "network"]);
    expect(unreachable.hint).toContain("routing");
  });

  it("treats a reset before any byte was written as not sent, after as unknown", () => {
    const early = errorForTransportFailure(
      context,
      failure("UND_ERR_SOCKET", { socket: { bytesWritten: 0 } }),
      options,
    );
    expect((early as UnavailableError).outcome).toBe("not-sent");
    expect(early.hint).toContain("before the request was sent");
    const late = errorForTransportFailure(
      context,
      failure("UND_ERR_SOCKET", { socket: { bytesWritten: 120 } }),
      options,
    );
    expect((late as UnavailableError).outcome).toBe("unknown");
    expect(late.message).toContain("connection closed before the response");
  });

  it("treats undici's own timeouts and unknown failures as unknown outcomes", () => {
    const headers = errorForTransportFailure(context, failure("UND_ERR_HEADERS_TIMEOUT"), {
      ...options,
      idempotent: true,
    });
    expect([(headers as UnavailableError).failure, (headers as UnavailableError).outcome]).toEqual([
      "timeout",
      "unknown",
    ]);
    expect(headers.hint).toContain("is healthy");
    const odd = errorForTransportFailure(context, "a string was thrown", options) as UnavailableError;
    expect([odd.failure, odd.outcome]).toEqual(["network", "unknown"]);
    expect(odd.message).toContain("a string was thrown");
  });

  it("refuses what undici cannot encode as invalid, not retryable", () => {
    const error = errorForTransportFailure(context, failure("UND_ERR_INVALID_ARG"), options);
    expect(error).toBeInstanceOf(InvalidError);
    expect(error.retryable).toBe(false);
  });

  it("turns a pin mismatch into a TlsError", () => {
    const error = errorForTransportFailure(
      context,
      new SpkiPinMismatchError(["sha256/a"], "sha256/b"),
      options,
    );
    expect(error).toBeInstanceOf(TlsError);
    expect(error.statusLabel).toBe("tls");
  });

  it("passes typed errors through", () => {
    const typed = new NotFoundError("gone", { ...context, status: 404 });
    expect(errorForTransportFailure(context, typed, options)).toBe(typed);
  });
});
