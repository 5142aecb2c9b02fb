import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { MASK, redactor } from "../secrets/redactor.ts";
import { Output } from "./output.ts";

function streams(stdoutIsTTY: boolean) {
  const stdout = Object.assign(new PassThrough(), { isTTY: stdoutIsTTY });
  const stderr = new PassThrough();
  let text = "";
  stdout.on("data", (chunk) => {
    text += String(chunk);
  });
  return { io: { stdout, stderr }, printed: () => text };
}

describe("Output", () => {
  afterEach(() => redactor.clear());

  it("prints one line of JSON for a program, secrets masked", () => {
    redactor.register("hunter2-planted-secret");
    const { io, printed } = streams(false);
    new Output("json", io).result({ ok: true, token: "hunter2-planted-secret", list: [1, 2] }, () => "");
    expect(printed()).toBe(`{"ok":true,"token":"${MASK}","list":[1,2]}\n`);
  });

  it("indents JSON for a person at a terminal, secrets masked", () => {
    redactor.register("hunter2-planted-secret");
    const { io, printed } = streams(true);
    new Output("json", io).result({ ok: true, token: "hunter2-planted-secret" }, () => "");
    expect(printed()).toBe(`{\n  "ok": true,\n  "token": "${MASK}"\n}\n`);
  });

  it("refuses a second JSON document", () => {
    const { io } = streams(false);
    const output = new Output("json", io);
    output.result({}, () => "");
    expect(() => output.result({}, () => "")).toThrow(/two JSON documents/);
  });
});
