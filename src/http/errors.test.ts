import { describe, expect, it } from "vitest";
import {
  AuthFailedError,
  CircuitOpenError,
  HttpError,
  isUnknownOutcome,
  outcomeOf,
  TlsError,
  UnavailableError,
} from "./errors.ts";

const context = { target: "authentik", method: "POST", route: "/api/v3/core/users/", requestId: "r-7" };

describe("HTTP errors", () => {
  it("are AutopilotErrors with kind, retryability and context", () => {
    const error = new UnavailableError("down", { ...context, outcome: "unknown", status: 502 });
    expect(error).toBeInstanceOf(HttpError);
    expect([error.kind, error.retryable, error.target, error.status, error.statusLabel]).toEqual([
      "unavailable",
      true,
      "authentik",
      502,
      "502",
    ]);
    expect(error.toJSON()).toMatchObject({ outcome: "unknown", status: 502, requestId: "r-7", attempts: 1 });
  });

  it("says how many attempts were made once there were several", () => {
    const error = new AuthFailedError("authentik POST /x → 403 Forbidden", { ...context, status: 403 });
    error.recordAttempts(1);
    expect(error.message).toBe("authentik POST /x → 403 Forbidden");
    error.recordAttempts(3);
    expect(error.attempts).toBe(3);
    expect(error.message).toBe("authentik POST /x → 403 Forbidden (after 3 attempts)");
  });

  it("labels failures without a status", () => {
    expect(new AuthFailedError("x", context).statusLabel).toBe("error");
    expect(new CircuitOpenError("x", context).statusLabel).toBe("circuit-open");
    expect(new TlsError("x", { ...context, code: "CERT_HAS_EXPIRED" }).statusLabel).toBe("tls");
  });

  it("tells unknown outcomes apart", () => {
    expect(isUnknownOutcome(new UnavailableError("x", { ...context, outcome: "unknown" }))).toBe(true);
    expect(isUnknownOutcome(new UnavailableError("x", { ...context, outcome: "not-sent" }))).toBe(false);
    expect(isUnknownOutcome(new TlsError("x", { ...context, code: "X" }))).toBe(false);
    expect(isUnknownOutcome(new Error("x"))).toBe(false);
    expect(outcomeOf(new CircuitOpenError("x", context))).toBe("not-sent");
    expect(outcomeOf(new AuthFailedError("x", context))).toBeUndefined();
  });
});
