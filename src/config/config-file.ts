import { open, stat } from "node:fs/promises";
import { ConfigError } from "./config-error.ts";
import { composeMessage } from "./config-issue.ts";
import { MAX_CONFIG_BYTES } from "./yaml-source.ts";

function fileIssue(file: string, rule: string, predicate: string, hint: string): ConfigError {
  return new ConfigError([
    {
      file,
      line: 0,
      column: 0,
      path: [],
      rule,
      message: composeMessage([], predicate),
      hint,
      severity: "error",
    },
  ]);
}

const FIND_CONFIG_HINT =
  "pass -c/--config <file> or set AUTOPILOT_CONFIG; examples/homelab.yaml is a starting point";
const TOO_LARGE_HINT = "a homelab.yaml is a few kilobytes; check the path";

/**
 * Reads at most `limit + 1` bytes, so a pipe (`-c <(sops -d lab.yaml)`) works but a device or an
 * endless stream cannot exhaust memory.
 */
async function readBounded(file: string, limit: number): Promise<Buffer> {
  const handle = await open(file, "r");
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(64 * 1024);
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) return Buffer.concat(chunks, total);
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > limit) return Buffer.concat(chunks, total);
    }
  } finally {
    await handle.close();
  }
}

/** Reads a config file as UTF-8, refusing what cannot be a config before parsing it. */
export async function readConfigText(file: string): Promise<string> {
  let buffer: Buffer;
  try {
    const info = await stat(file);
    if (info.isDirectory()) {
      throw fileIssue(
        file,
        "unreadable-file",
        "the path is a directory, not a config file",
        FIND_CONFIG_HINT,
      );
    }
    if (!info.isFile() && !info.isFIFO()) {
      throw fileIssue(file, "unreadable-file", "the path is not a regular file or a pipe", FIND_CONFIG_HINT);
    }
    buffer = await readBounded(file, MAX_CONFIG_BYTES);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      throw fileIssue(file, "file-not-found", "the config file does not exist", FIND_CONFIG_HINT);
    }
    throw fileIssue(
      file,
      "unreadable-file",
      `the config file cannot be read (${code ?? "unknown error"})`,
      "check the file's permissions",
    );
  }
  if (buffer.length > MAX_CONFIG_BYTES) {
    throw fileIssue(
      file,
      "file-too-large",
      `the file is larger than ${MAX_CONFIG_BYTES} bytes`,
      TOO_LARGE_HINT,
    );
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(buffer);
  } catch {
    throw fileIssue(file, "not-utf8", "the file is not valid UTF-8 text", "save it as UTF-8");
  }
}
