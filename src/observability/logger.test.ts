import { afterEach, describe, expect, it } from "vitest";
import { MASK, redactor } from "../secrets/redactor.ts";
import { withAction, withCorrelation } from "./context.ts";
import { createLogger, memoryDestination } from "./logger.ts";

describe("logger", () => {
  afterEach(() => redactor.clear());

  it("writes JSON lines with the correlation and action ids", () => {
    const sink = memoryDestination();
    const log = createLogger({ destination: sink.stream, pretty: false, level: "info" });
    withCorrelation(() => withAction(() => log.info({ target: "grafana" }, "hello"), "a1"), "c1");
    const line = JSON.parse(sink.lines()[0] ?? "{}");
    expect(line).toMatchObject({ msg: "hello", target: "grafana", correlationId: "c1", actionId: "a1" });
  });

  it("never writes a registered secret, in messages, fields or error stacks", () => {
    redactor.register("tok-123456");
    const sink = memoryDestination();
    const log = createLogger({ destination: sink.stream, pretty: false, level: "info" });
    log.error(
      { err: new Error("bad token tok-123456"), header: "Bearer tok-123456" },
      "failed with tok-123456",
    );
    const text = sink.lines().join("\n");
    expect(text).not.toContain("tok-123456");
    expect(text).toContain(MASK);
    expect(() => JSON.parse(sink.lines()[0] ?? "")).not.toThrow();
  });

  it("prints human-readable lines when asked, still redacted", () => {
    redactor.register("tok-654321");
    const sink = memoryDestination();
    const log = createLogger({ destination: sink.stream, pretty: true, level: "info" });
    log.warn("using tok-654321");
    const text = sink.lines().join("\n");
    expect(text).toContain("using");
    expect(text).not.toContain("tok-654321");
  });
});
